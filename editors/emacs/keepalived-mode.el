;;; keepalived-mode.el --- Major mode for keepalived configuration files  -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The keepalived-ls authors

;; Author: The keepalived-ls authors
;; URL: https://github.com/keepalived-ls/keepalived-ls
;; Version: 0.1.0
;; Package-Requires: ((emacs "26.1"))
;; Keywords: languages, tools

;; This file is not part of GNU Emacs.

;; Licensed under the same terms as keepalived-ls (see its LICENSE file).

;;; Commentary:

;; A major mode for keepalived.conf and the files it includes:
;;
;; - highlighting the way keepalived reads a file: comments start at # or !
;;   anywhere outside double quotes (\# and \! are escapes), the first word of
;;   a statement is its keyword, blocks and the names they define, values
;;   (numbers, IPv4/IPv6/MAC addresses, constants, paths), $NAME and ${NAME}
;;   references and definitions, @ID conditional lines, ~SEQ/~LST generators
;;   and include lines;
;; - indentation by brace depth (`keepalived-indent-offset');
;; - comment commands (M-;) with "# ";
;; - imenu: instances, sync groups, scripts, trackers, virtual servers and
;;   their real servers;
;; - the keepalived-ls language server through eglot: M-x eglot, or
;;   (add-hook 'keepalived-mode-hook #'eglot-ensure).  Settings go in
;;   `keepalived-ls-settings'.
;;
;; Files named keepalived.conf or keepalived*.conf, and *.conf files below a
;; directory named keepalived (/etc/keepalived/**/*.conf), open in this
;; mode.  See editors/emacs/README.md and docs/editors.md of keepalived-ls
;; for installation, settings and lsp-mode.

;;; Code:

(defgroup keepalived nil
  "Editing keepalived configuration files."
  :group 'languages
  :prefix "keepalived-"
  :link '(url-link "https://github.com/keepalived-ls/keepalived-ls"))

(defcustom keepalived-indent-offset 4
  "Number of columns for each level of braces."
  :type 'integer
  :safe #'integerp)

(defcustom keepalived-ls-program '("keepalived-ls")
  "The keepalived-ls command and its arguments, used by eglot.
For example (\"keepalived-ls\" \"--log-level\" \"debug\" \"--log-file\"
\"/tmp/keepalived-ls.log\")."
  :type '(repeat string))

(defcustom keepalived-ls-settings nil
  "Settings for the keepalived-ls language server, as a plist.
They are sent as the `keepalived' section of initializationOptions
when the server starts.  The keys are those of docs/settings.md:

  (:targetVersion \"2.2.7\"
   :configId \"lb1\"
   :rules (:extra-arguments \"error\" :include-no-match \"off\")
   :debounce 100)

A project can override them with the `keepalived' section of
`eglot-workspace-configuration' in its .dir-locals.el, which the
server asks for after it started; it replaces these settings as a
whole.  After changing this variable, restart the server
\(\\[eglot-reconnect]) or run \\[keepalived-ls-send-settings]."
  :type '(plist :key-type (symbol :tag "Setting (a keyword such as :targetVersion)")
                :value-type (sexp :tag "Value")))

;;; Faces

(defface keepalived-number-face
  `((t :inherit ,(if (facep 'font-lock-number-face) 'font-lock-number-face 'font-lock-constant-face)))
  "Face for numbers in keepalived files.")

(defface keepalived-address-face
  `((t :inherit ,(if (facep 'font-lock-number-face) 'font-lock-number-face 'font-lock-constant-face)))
  "Face for IPv4, IPv6 and MAC addresses in keepalived files.")

(defface keepalived-brace-face
  `((t :inherit ,(if (facep 'font-lock-bracket-face) 'font-lock-bracket-face 'default)))
  "Face for the braces of keepalived blocks.")

(defface keepalived-escape-face
  `((t :inherit ,(if (facep 'font-lock-escape-face) 'font-lock-escape-face 'font-lock-builtin-face)))
  "Face for \\# and \\! outside quotes.")

(defface keepalived-path-face
  '((t :inherit font-lock-string-face))
  "Face for file names: include patterns and unquoted absolute paths.")

;;; Syntax

(defvar keepalived-mode-syntax-table
  (let ((st (make-syntax-table)))
    ;; # and ! start a comment anywhere outside double quotes.
    (modify-syntax-entry ?# "<" st)
    (modify-syntax-entry ?! "<" st)
    (modify-syntax-entry ?\n ">" st)
    (modify-syntax-entry ?\" "\"" st)
    (modify-syntax-entry ?\\ "\\" st)
    (modify-syntax-entry ?\{ "(}" st)
    (modify-syntax-entry ?\} "){" st)
    (modify-syntax-entry ?\( "()" st)
    (modify-syntax-entry ?\) ")(" st)
    ;; Characters that appear inside names, addresses and paths.
    (dolist (c '(?_ ?- ?. ?: ?/ ?@ ?$ ?~ ?% ?+ ?* ?? ?^))
      (modify-syntax-entry c "_" st))
    st)
  "Syntax table for `keepalived-mode'.")

(defun keepalived--syntax-propertize (start end)
  "Make unterminated double quotes between START and END ordinary.
keepalived ends a quoted word at the end of its line; Emacs would
otherwise carry the string on to the next lines."
  (goto-char start)
  (while (search-forward "\"" end t)
    (let ((quote-pos (1- (point))))
      ;; An opening quote (not one inside a comment or closing a string)...
      (unless (nth 8 (save-excursion (syntax-ppss quote-pos)))
        ;; ...without a closing one on its line quotes nothing.
        (unless (search-forward "\"" (line-end-position) t)
          (put-text-property quote-pos (1+ quote-pos)
                             'syntax-table (string-to-syntax ".")))))))

;;; Keywords

(eval-and-compile
  (defconst keepalived--named-blocks
    '("vrrp_instance" "vrrp_sync_group" "vrrp_script" "vrrp_track_process"
      "vrrp_track_file" "track_file" "track_group" "bfd_instance" "garp_group"
      "virtual_server_group")
    "Blocks whose keyword is followed by the name they define.")

  (defconst keepalived--blocks
    '("global_defs" "authentication" "virtual_server" "real_server" "sorry_server"
      "static_ipaddress" "static_routes" "static_rules" "net_namespace"
      "net_namespace_ipvs" "namespace_with_ipsets" "linkbeat_interfaces"
      "linkbeat_use_polling" "interface_up_down_delays" "child_wait_time"
      "use_pid_dir" "auth_hmac" "instance" "host" "url" "SSL" "TCP_CHECK"
      "UDP_CHECK" "HTTP_GET" "SSL_GET" "SMTP_CHECK" "MISC_CHECK" "DNS_CHECK"
      "BFD_CHECK" "PING_CHECK" "FILE_CHECK")
    "Blocks that hold keywords.")

  (defconst keepalived--value-blocks
    '("virtual_ipaddress_excluded" "virtual_ipaddress" "virtual_routes"
      "virtual_rules" "static_ipaddress" "static_routes" "static_rules"
      "virtual_server_group" "interface_up_down_delays" "linkbeat_interfaces"
      "notification_email" "track_interface" "track_process" "track_script"
      "track_group" "track_file" "track_bfd" "unicast_peer" "interfaces" "group")
    "Blocks whose lines are values (addresses, names) rather than keywords.")

  (defconst keepalived--value-options
    '("dev" "scope" "label" "brd" "broadcast" "peer" "src" "via" "from" "to"
      "table" "metric" "proto" "protocol" "dport" "sport" "lookup" "goto"
      "realms" "no_track" "preferred_lft" "onlink" "blackhole" "prohibit"
      "unreachable" "throw" "nexthop" "weight" "mtu" "advmss" "rtt" "rttvar"
      "reordering" "window" "cwnd" "initcwnd" "initrwnd" "ssthresh" "features"
      "quickack" "congctl" "rto_min" "pref" "priority" "tos" "fwmark" "iif"
      "oif" "uidrange" "l3mdev" "suppress_prefixlength" "suppress_ifgroup"
      "ipproto" "not" "type" "expires" "home" "mngtmpaddr" "noprefixroute"
      "autojoin" "nfqueue" "hoplimit" "encap" "ttl-propagate"
      "fastopen_no_cookie" "lock" "default" "max_ttl" "min_ttl" "noreverse"
      "reverse" "-nodad" "nodad" "forever")
    "Option words of the lines of value blocks (addresses, routes, rules).")

  (defconst keepalived--constants
    '("MASTER" "BACKUP" "NAT" "DR" "TUN" "TCP" "UDP" "SCTP" "PASS" "AH"
      "inet" "inet6" "true" "false" "on" "off" "yes" "no")
    "Values with a fixed meaning.")

  (defconst keepalived--word-end "\\(?:[ \t{}#!\"]\\|$\\)"
    "What may follow a word in keepalived.")

  (defconst keepalived--statement-start "\\(?:^\\|}\\|\\(?:^\\|[^$]\\){\\)[ \t]*"
    "Where a statement (and so its keyword) may start: at the start of a
line or after a brace (not the one of ${NAME})."))

(defun keepalived--value-block-p (pos)
  "Non-nil if POS is directly inside a block whose lines are values."
  (let ((open (nth 1 (save-excursion (syntax-ppss pos)))))
    (when (and open (eq (char-after open) ?\{))
      (save-excursion
        (goto-char open)
        (skip-chars-backward " \t")
        (let ((end (point)))
          (skip-syntax-backward "w_")
          (member (buffer-substring-no-properties (point) end) keepalived--value-blocks))))))

(defun keepalived--in-comment-or-string-p (pos)
  "Non-nil if POS is in a comment or a string."
  (nth 8 (save-excursion (syntax-ppss pos))))

(defun keepalived--match-keyword (limit)
  "Find the next statement keyword before LIMIT, for font-lock.
The first word of a statement, unless the statement is a line of a
value block or in a comment or string."
  (let (found)
    (while (and (not found)
                (re-search-forward
                 (concat keepalived--statement-start
                         "\\([A-Za-z_][A-Za-z0-9_]*\\)\\(?:[ \t{}#!\"]\\|$\\)")
                 limit t))
      (goto-char (match-end 1))
      (let ((beg (match-beginning 1)))
        (unless (save-match-data
                  (or (keepalived--in-comment-or-string-p beg)
                      (keepalived--value-block-p beg)))
          (setq found t))))
    found))

(defun keepalived--match-value-option (limit)
  "Find the next option word of a value block line before LIMIT, for font-lock."
  (let (found)
    (while (and (not found)
                (re-search-forward
                 (eval-when-compile (concat "\\_<" (regexp-opt keepalived--value-options) "\\_>"))
                 limit t))
      (let ((beg (match-beginning 0)))
        (setq found (save-match-data
                      (and (not (keepalived--in-comment-or-string-p beg))
                           (keepalived--value-block-p beg))))))
    found))

(defun keepalived--match-reference (limit)
  "Find the next $NAME or ${NAME} before LIMIT outside comments, for font-lock."
  (let (found)
    (while (and (not found)
                (re-search-forward "\\$\\(?:{[A-Za-z_][A-Za-z0-9_]*\\(?:[ \t][^}\n]*\\)?}\\|[A-Za-z_][A-Za-z0-9_]*\\)" limit t))
      (let ((ppss (save-match-data (save-excursion (syntax-ppss (match-beginning 0))))))
        (unless (nth 4 ppss)            ; in strings they still count
          (setq found t))))
    found))

(defconst keepalived-font-lock-keywords
  `(;; \# and \! outside quotes are not comments.
    ("\\\\[#!]" 0 'keepalived-escape-face)
    ;; @ID text and @^ID text: conditional lines; the text's first word is a keyword.
    ("^[ \t]*\\(@\\^?[^ \t\n#!\"{}]*\\)\\(?:[ \t]+\\([A-Za-z_][A-Za-z0-9_]*\\)\\)?"
     (1 font-lock-preprocessor-face)
     (2 font-lock-keyword-face nil t))
    ;; ~SEQ(...), ~SEQx(...), ~LST(...)
    ("~\\(?:SEQx?\\|LST\\)(" 0 font-lock-preprocessor-face)
    ;; $NAME=value
    ("^[ \t]*\\(\\$[A-Za-z_][A-Za-z0-9_]*\\)[ \t]*=" 1 font-lock-variable-name-face)
    ;; include lines and their patterns
    (,(concat keepalived--statement-start "\\(include[rmwba]?\\)" keepalived--word-end
              "\\(?:[ \t]*\\([^ \t\n#!\"]+\\)\\)?")
     (1 font-lock-preprocessor-face)
     (2 'keepalived-path-face nil t))
    ;; named blocks: keyword and name
    (,(concat keepalived--statement-start "\\(" (regexp-opt keepalived--named-blocks) "\\)\\_>"
              "\\(?:[ \t]+\\([^ \t\n{}#!\"]+\\)\\)?")
     (1 font-lock-type-face)
     (2 font-lock-function-name-face nil t))
    ("^[ \t]*virtual_server[ \t]+\\(group\\)[ \t]+\\([^ \t\n{}#!\"]+\\)"
     (1 font-lock-keyword-face)
     (2 font-lock-function-name-face))
    ;; blocks (keyword blocks and value blocks)
    (,(concat keepalived--statement-start "\\("
              (regexp-opt (append keepalived--blocks keepalived--value-blocks))
              "\\)" keepalived--word-end)
     1 font-lock-type-face)
    ;; any other keyword: the first word of a statement
    (keepalived--match-keyword 1 font-lock-keyword-face)
    ;; ${_ENV NAME}, built-ins, references
    ("\\${?_\\(?:PWD\\|INSTANCE\\|RANDOM\\|HASH\\|BANG\\|ENV\\)\\_>\\(?:[^}\n]*}\\)?" 0 font-lock-builtin-face t)
    (keepalived--match-reference 0 font-lock-variable-name-face prepend)
    ;; values
    (keepalived--match-value-option 0 font-lock-builtin-face)
    (,(concat "\\_<" (regexp-opt keepalived--constants) "\\_>") 0 font-lock-constant-face)
    ;; IPv4 address or prefix (., :, /, - and $ are symbol constituents, so
    ;; symbol boundaries delimit whole values)
    ("\\_<\\(?:\\(?:25[0-5]\\|2[0-4][0-9]\\|1[0-9][0-9]\\|[1-9]?[0-9]\\)\\.\\)\\{3\\}\\(?:25[0-5]\\|2[0-4][0-9]\\|1[0-9][0-9]\\|[1-9]?[0-9]\\)\\(?:/[0-9]\\{1,2\\}\\)?\\_>"
     0 'keepalived-address-face)
    ;; MAC address
    ("\\_<\\(?:[[:xdigit:]]\\{2\\}[:-]\\)\\{5\\}[[:xdigit:]]\\{2\\}\\_>" 0 'keepalived-address-face)
    ;; IPv6 address or prefix, with an optional %zone
    ("\\_<\\(?:[[:xdigit:]]\\{0,4\\}:\\)\\{2,7\\}\\(?:[[:xdigit:]]\\{1,4\\}\\|\\(?:[0-9]\\{1,3\\}\\.\\)\\{3\\}[0-9]\\{1,3\\}\\)?\\(?:%[[:alnum:]_.-]+\\)?\\(?:/[0-9]\\{1,3\\}\\)?\\_>"
     0 'keepalived-address-face)
    ;; numbers
    ("\\_<\\(?:0[xX][[:xdigit:]]+\\|-?[0-9]+\\(?:\\.[0-9]+\\)?\\)\\_>" 0 'keepalived-number-face)
    ;; unquoted absolute paths
    ("\\_</[^ \t\n{}#!\"$]*" 0 'keepalived-path-face)
    ;; braces
    ("[{}]" 0 'keepalived-brace-face))
  "Font-lock keywords for `keepalived-mode'.")

;;; Indentation

(defun keepalived-calculate-indentation ()
  "Return the indentation for the current line: its brace depth."
  (save-excursion
    (back-to-indentation)
    (let* ((ppss (syntax-ppss (line-beginning-position)))
           (depth (car ppss)))
      (when (and (eq (char-after) ?\}) (> depth 0))
        (setq depth (1- depth)))
      (* (max depth 0) keepalived-indent-offset))))

(defun keepalived-indent-line ()
  "Indent the current line by its brace depth."
  (interactive)
  (let ((indent (keepalived-calculate-indentation)))
    (if (<= (current-column) (current-indentation))
        (indent-line-to indent)
      (save-excursion (indent-line-to indent)))))

;;; Imenu

(defconst keepalived--imenu-regexp
  (concat "^[ \t]*\\("
          (regexp-opt '("vrrp_sync_group" "vrrp_instance" "vrrp_script"
                        "vrrp_track_process" "vrrp_track_file" "track_file"
                        "track_group" "bfd_instance" "garp_group"
                        "virtual_server_group" "virtual_server" "real_server"
                        "sorry_server"))
          "\\)[ \t]+\\([^\n{#!]*?\\)[ \t]*\\(?:{\\|[#!]\\|$\\)")
  "Statements listed by imenu, and their names.")

(defun keepalived-imenu-create-index ()
  "Return an imenu index: one submenu per kind of block.
Real and sorry servers are named after their virtual server."
  (let (index)
    (save-excursion
      (goto-char (point-min))
      (while (re-search-forward keepalived--imenu-regexp nil t)
        (let* ((kind (match-string-no-properties 1))
               (name (match-string-no-properties 2))
               (pos (match-beginning 1)))
          (unless (or (keepalived--in-comment-or-string-p pos) (equal name ""))
            (when (member kind '("real_server" "sorry_server"))
              (let ((open (nth 1 (save-excursion (syntax-ppss pos)))))
                (when open
                  (save-excursion
                    (goto-char open)
                    (beginning-of-line)
                    (when (looking-at "[ \t]*virtual_server[ \t]+\\([^\n{#!]*?\\)[ \t]*{")
                      (setq name (concat (match-string-no-properties 1) " / " name)))))))
            (let ((entry (assoc kind index)))
              (unless entry
                (setq entry (list kind))
                (push entry index))
              (setcdr entry (cons (cons name (copy-marker pos)) (cdr entry))))))))
    (mapcar (lambda (entry) (cons (car entry) (nreverse (cdr entry))))
            (nreverse index))))

;;; eglot

(defun keepalived-ls--initialization-options (_server)
  "The initializationOptions for keepalived-ls, from `keepalived-ls-settings'."
  (list :keepalived (or keepalived-ls-settings (make-hash-table))))

;;;###autoload
(defun keepalived-ls-eglot-contact (&optional _interactive)
  "The eglot contact for keepalived-ls: `keepalived-ls-program' and its options."
  (append keepalived-ls-program
          (list :initializationOptions #'keepalived-ls--initialization-options)))

(declare-function eglot-current-server "eglot")
(declare-function jsonrpc-notify "jsonrpc")

(defun keepalived-ls-send-settings ()
  "Send `keepalived-ls-settings' to the running keepalived-ls server.
The server checks every open file again under them."
  (interactive)
  (let ((server (and (fboundp 'eglot-current-server) (eglot-current-server))))
    (unless server
      (user-error "No keepalived-ls server for this buffer"))
    (jsonrpc-notify server :workspace/didChangeConfiguration
                    (list :settings (keepalived-ls--initialization-options server)))))

(declare-function jsonrpc-request "jsonrpc")
(declare-function lsp-request "lsp-mode")
(defvar url-path-allowed-chars)

(defun keepalived--file-uri (file)
  "The file: URI of FILE, as the language server names documents."
  (require 'url-util)
  (concat "file://" (url-hexify-string (expand-file-name file) url-path-allowed-chars)))

(defun keepalived-show-expanded ()
  "Show what keepalived reads from the current file.
The configuration keepalived-ls computes (its keepalived.showExpanded
command): included files inlined with \='# from FILE:LINE\=' markers,
$NAME references and ~SEQ/~LST lines expanded, @ID lines resolved for
the configured config id.  It uses the unsaved text of the buffer and
opens in a read-only buffer in another window.  Needs eglot or lsp-mode
running keepalived-ls for this buffer."
  (interactive)
  (unless buffer-file-name
    (user-error "This buffer has no file"))
  (let* ((params (list :command "keepalived.showExpanded"
                       :arguments (vector (keepalived--file-uri buffer-file-name))))
         (server (and (fboundp 'eglot-current-server) (eglot-current-server)))
         (text (cond
                (server (jsonrpc-request server :workspace/executeCommand params))
                ((bound-and-true-p lsp-mode) (lsp-request "workspace/executeCommand" params))
                (t (user-error "No keepalived-ls server for this buffer: start eglot or lsp-mode"))))
         (buf (get-buffer-create (format "*keepalived expanded: %s*" (buffer-name)))))
    (with-current-buffer buf
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (if (stringp text) text ""))
        (goto-char (point-min)))
      (keepalived-mode)
      (setq buffer-read-only t)
      (set-buffer-modified-p nil))
    (display-buffer buf)
    buf))

(defvar eglot-server-programs)

;; The LSP language id (newer eglot versions read it from here; older ones
;; derive the same "keepalived" from the mode's name).
;;;###autoload
(put 'keepalived-mode 'eglot-language-id "keepalived")

;;;###autoload
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '(keepalived-mode . keepalived-ls-eglot-contact)))

;;; The mode

(defvar keepalived-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "C-c C-e") #'keepalived-show-expanded)
    map)
  "Keymap for `keepalived-mode'.")

;;;###autoload
(define-derived-mode keepalived-mode prog-mode "Keepalived"
  "Major mode for keepalived configuration files.

Indentation follows the depth of braces (`keepalived-indent-offset').
Comments start with # (or !).  With eglot, the keepalived-ls
language server adds diagnostics, hover documentation, completion,
quick fixes and formatting: run \\[eglot], or add `eglot-ensure' to
`keepalived-mode-hook'.

\\{keepalived-mode-map}"
  :syntax-table keepalived-mode-syntax-table
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "[#!]+[ \t]*")
  (setq-local comment-end "")
  (setq-local comment-use-syntax t)
  (setq-local syntax-propertize-function #'keepalived--syntax-propertize)
  (setq-local font-lock-defaults '(keepalived-font-lock-keywords))
  (setq-local indent-line-function #'keepalived-indent-line)
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width keepalived-indent-offset)
  (setq-local electric-indent-chars (append "{}" electric-indent-chars))
  (setq-local imenu-create-index-function #'keepalived-imenu-create-index))

;; The file patterns of the VS Code extension and the Neovim plugin:
;; keepalived.conf, keepalived*.conf, and *.conf anywhere below a directory
;; named keepalived (so /etc/keepalived/**/*.conf).
;;;###autoload
(progn
  (add-to-list 'auto-mode-alist '("/keepalived[^/]*\\.conf\\'" . keepalived-mode))
  (add-to-list 'auto-mode-alist '("/keepalived/\\(?:.*/\\)?[^/]*\\.conf\\'" . keepalived-mode)))

(provide 'keepalived-mode)

;;; keepalived-mode.el ends here
