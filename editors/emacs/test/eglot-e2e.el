;;; eglot-e2e.el --- keepalived-mode + eglot against the real keepalived-ls  -*- lexical-binding: t; -*-

;;; Commentary:

;; Headless end-to-end test: Emacs (batch) opens a keepalived.conf with known
;; problems in `keepalived-mode', eglot starts the real keepalived-ls, and the
;; test checks what a user sees: flymake diagnostics, eldoc hover text, the
;; quick fix that deletes a duplicate real_server (picked from the code action
;; menu), the diagnostic going away, and formatting.
;;
;; Tested with Debian bookworm: Emacs 28.2 + elpa-eglot 1.9.
;;
;;   LSP_SERVER=/abs/keepalived-ls TEST_DIR=/abs/scratch \
;;   emacs -Q --batch -l editors/emacs/test/eglot-e2e.el
;;
;; Env: LSP_SERVER (required), TEST_DIR (required, a scratch directory),
;;      LSP_TIMEOUT (seconds per wait, default 10).
;; Exit status: 0 all checks passed, 1 a check failed, 2 the script crashed.

;;; Code:

(require 'package)
;; -Q implies --no-site-lisp, so package.el does not see Debian's elpa-* dir by itself.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(setq package-user-dir (expand-file-name "elpa" (or (getenv "TEST_DIR") temporary-file-directory)))
(package-initialize)
(require 'cl-lib)
(require 'subr-x)
(require 'eglot)
(require 'flymake)

(defvar e2e-here (file-name-directory (or load-file-name buffer-file-name)))
(add-to-list 'load-path (expand-file-name ".." e2e-here))
(require 'keepalived-mode)

(defvar e2e-server (getenv "LSP_SERVER"))
(defvar e2e-dir (getenv "TEST_DIR"))
(defvar e2e-timeout (string-to-number (or (getenv "LSP_TIMEOUT") "10")))
(defvar e2e-pass 0)
(defvar e2e-fail 0)

(defconst e2e-dup-message
  (concat "keepalived-ls [duplicate-real-server]: real_server 10.0.0.11 is already declared"
          " in this virtual_server (the same destination 10.0.0.11:80 once keepalived fills"
          " in the port); keepalived does not notice and both manage it")
  "What flymake shows for the duplicate real_server: source [code]: message.")
(defconst e2e-actions
  '("Delete this duplicate real_server" "Disable duplicate-real-server for this line")
  "The quick fixes offered on the duplicate real_server.")
(defconst e2e-hover-text
  "Packet forwarding method IPVS uses towards the real servers")

(defun e2e-log (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n") #'external-debugging-output))

(defun e2e-check (ok what &optional got)
  (if ok
      (progn (cl-incf e2e-pass) (e2e-log "ok   %s" what))
    (cl-incf e2e-fail)
    (e2e-log "FAIL %s -- got: %S" what got))
  ok)

(defun e2e-run-idle-timers (idle-secs)
  "Fire the idle timers that IDLE-SECS of user idleness would have fired.
--batch never becomes idle, so `run-with-idle-timer' timers (eglot's
didChange debounce, `eglot-send-changes-idle-time') never run by themselves."
  (dolist (timer (copy-sequence timer-idle-list))
    (when (and (memq timer timer-idle-list)
               (not (time-less-p idle-secs (timer--time timer))))
      (timer-event-handler timer))))

(defun e2e-wait (what pred)
  "Spin the event loop (process output, timers, emulated idleness) until PRED or timeout."
  (let ((t0 (float-time)) (deadline (+ (float-time) e2e-timeout)) res)
    (while (and (not (setq res (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.01)
      (e2e-run-idle-timers (- (float-time) t0)))
    (e2e-log "     waited %.0f ms for %s" (* 1000 (- (float-time) t0)) what)
    res))

(defun e2e-fixture (name)
  (with-temp-buffer
    (insert-file-contents (expand-file-name (concat "fixtures/" name) e2e-here))
    (buffer-string)))

(defun e2e-goto (line col)
  (goto-char (point-min)) (forward-line (1- line)) (move-to-column col))

(defun e2e-diag-code (d)
  "The LSP code of flymake diagnostic D."
  (plist-get (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d))) :code))

(defun e2e-diags (code)
  (cl-remove-if-not (lambda (d) (equal (e2e-diag-code d) code)) (flymake-diagnostics)))

(defun e2e-summary ()
  (mapcar (lambda (d) (format "%d: %s" (line-number-at-pos (flymake-diagnostic-beg d))
                              (flymake-diagnostic-text d)))
          (flymake-diagnostics)))

(defun e2e-text ()
  (buffer-substring-no-properties (point-min) (point-max)))

;; Count the diagnostics the server publishes, to tell a fresh (empty) set
;; from flymake merely dropping the diagnostics of deleted text.
(defvar e2e-published 0)
(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest _)
              (when (eq method 'textDocument/publishDiagnostics) (cl-incf e2e-published)))
            '((name . e2e-count)))

;;; What a user's init.el contains (besides loading keepalived-mode):
(setq keepalived-ls-program (list e2e-server))
(setq keepalived-ls-settings '(:rules (:implicit-real-server-port "off")))
(add-hook 'keepalived-mode-hook #'eglot-ensure)

(defun e2e-main ()
  (unless (and e2e-server e2e-dir) (error "LSP_SERVER and TEST_DIR must be set"))
  (make-directory e2e-dir t)
  (let ((file (expand-file-name "keepalived.conf" e2e-dir)))
    (with-temp-file file (insert (e2e-fixture "keepalived.conf")))
    (find-file file))
  (switch-to-buffer (current-buffer))   ; eglot only runs eldoc callbacks for displayed buffers
  (e2e-check (eq major-mode 'keepalived-mode) "keepalived-mode from auto-mode-alist" major-mode)
  ;; eglot-ensure connects from `post-command-hook'; --batch runs no command
  ;; loop, so run the hook once by hand, as the command loop would.
  (run-hooks 'post-command-hook)
  (unless (e2e-check (e2e-wait "connect" (lambda () (and (eglot-current-server) eglot--managed-mode)))
                     "eglot started keepalived-ls and manages the buffer")
    (error "no eglot server"))
  (let ((server (eglot-current-server)))
    (e2e-check (string-match-p "keepalived-ls" (or (plist-get (eglot--server-info server) :name) ""))
               "serverInfo.name" (eglot--server-info server))

    ;; 1. diagnostics through flymake
    (e2e-check (e2e-wait "diagnostics" (lambda () (e2e-diags "duplicate-real-server")))
               "duplicate-real-server diagnostic arrived" (e2e-summary))
    (let ((d (car (e2e-diags "duplicate-real-server"))))
      (when d
        (e2e-check (equal (save-excursion (goto-char (flymake-diagnostic-beg d))
                                          (list (line-number-at-pos) (current-column)))
                          '(29 4))
                   "diagnostic at line 29, column 4"
                   (save-excursion (goto-char (flymake-diagnostic-beg d))
                                   (list (line-number-at-pos) (current-column))))
        (e2e-check (equal (flymake-diagnostic-text d) e2e-dup-message)
                   "exact duplicate real_server message" (flymake-diagnostic-text d))
        (e2e-check (eq (flymake-diagnostic-type d) 'eglot-error) "diagnostic type eglot-error"
                   (flymake-diagnostic-type d))))
    (e2e-check (null (e2e-diags "implicit-real-server-port"))
               "keepalived-ls-settings applied: implicit-real-server-port is off" (e2e-summary))
    (e2e-check (equal (e2e-summary) (list (concat "29: " e2e-dup-message)))
               "exactly that one diagnostic" (e2e-summary))

    ;; Settings changed while the server runs: `keepalived-ls-send-settings'.
    (let ((keepalived-ls-settings nil))
      (keepalived-ls-send-settings)
      (e2e-check (e2e-wait "rule back on" (lambda () (e2e-diags "implicit-real-server-port")))
                 "keepalived-ls-send-settings: default settings report implicit-real-server-port"
                 (e2e-summary)))
    (keepalived-ls-send-settings)
    (e2e-check (e2e-wait "rule off again" (lambda () (null (e2e-diags "implicit-real-server-port"))))
               "keepalived-ls-send-settings: rule off again" (e2e-summary))

    ;; 2. hover through eglot's eldoc backend (what eldoc calls when point rests)
    (e2e-goto 20 5)                     ; on "lb_kind"
    (let (hover)
      (eglot-hover-eldoc-function (lambda (info &rest _) (setq hover (or info 'nil-info))))
      (e2e-wait "hover" (lambda () hover))
      (e2e-check (and (stringp hover) (string-match-p (regexp-quote e2e-hover-text) hover))
                 "eldoc hover documents lb_kind" hover))

    ;; 3. the quick fix, through the interactive path of `eglot-code-actions':
    ;;    the user picks "Delete this duplicate real_server" from the menu.
    (e2e-goto 29 6)                     ; on the second "real_server"
    (let ((titles (mapcar (lambda (a) (plist-get a :title))
                          (eglot-code-actions (point) nil "quickfix" nil))))
      (e2e-check (equal titles e2e-actions) "quick fixes offered" titles))
    (let ((published e2e-published)
          (offered nil)
          (last-nonmenu-event ?\r))     ; a keyboard event: a completing-read menu, not a popup
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt collection &rest _)
                   (setq offered (all-completions "" collection))
                   (or (car (member "Delete this duplicate real_server" offered))
                       (error "not offered")))))
        (eglot-code-actions (point) nil "quickfix" t))
      (e2e-check (equal offered e2e-actions) "the code action menu offered them" offered)
      (e2e-check (equal (e2e-text) (e2e-fixture "keepalived.fixed.conf"))
                 "duplicate real_server deleted" (list :offered offered :text (e2e-text)))
      ;; didChange goes out from an idle timer; e2e-wait emulates the idleness.
      (e2e-check (e2e-wait "diagnostics of the fixed text"
                           (lambda () (and (> e2e-published published)
                                           (null (e2e-diags "duplicate-real-server")))))
                 "server re-checked: duplicate-real-server diagnostic gone"
                 (list :published (- e2e-published published) :diags (e2e-summary))))

    ;; 4. formatting
    (eglot-format-buffer)
    (e2e-check (equal (e2e-text) (e2e-fixture "keepalived.formatted.conf"))
               "buffer formatted" (e2e-text))
    (e2e-check (e2e-wait "no diagnostics" (lambda () (null (flymake-diagnostics))))
               "no diagnostics left" (e2e-summary))

    ;; 5. the effective configuration equals `keepalived-ls expand'
    (save-buffer)
    (let* ((file buffer-file-name)
           (want (with-temp-buffer
                   (list (call-process (car keepalived-ls-program) nil t nil "expand" file)
                         (buffer-string))))
           (buf (keepalived-show-expanded)))
      (e2e-check (and (equal (car want) 0) (> (length (cadr want)) 0)) "keepalived-ls expand ran" want)
      (e2e-check (equal (with-current-buffer buf (buffer-string)) (cadr want))
                 "keepalived-show-expanded shows the expanded configuration"
                 (with-current-buffer buf (buffer-string)))
      (e2e-check (with-current-buffer buf (and buffer-read-only (eq major-mode 'keepalived-mode)))
                 "expanded buffer: read-only, keepalived-mode")
      (kill-buffer buf))

    ;; 6. shutdown.  `eglot-shutdown' signals an error unless the server
    ;; answers `shutdown' in time; jsonrpc then deletes the process.
    (let ((proc (jsonrpc--process server)))
      (e2e-check (condition-case e (progn (eglot-shutdown server) t) (error e))
                 "server answered shutdown")
      (e2e-check (e2e-wait "server gone" (lambda () (not (process-live-p proc))))
                 "server process gone" (process-status proc)))))

(condition-case err
    (e2e-main)
  (error
   (e2e-log "CRASH %S" err)
   (when-let ((s (ignore-errors (eglot-current-server))))
     (with-current-buffer (jsonrpc-events-buffer s)
       (e2e-log "--- eglot events ---\n%s" (buffer-string))))
   (kill-emacs 2)))
(e2e-log "%d passed, %d failed" e2e-pass e2e-fail)
(kill-emacs (if (zerop e2e-fail) 0 1))

;;; eglot-e2e.el ends here
