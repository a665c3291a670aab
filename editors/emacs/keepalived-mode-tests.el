;;; keepalived-mode-tests.el --- ERT tests for keepalived-mode  -*- lexical-binding: t; -*-

;;; Commentary:

;; emacs -Q --batch -L editors/emacs -l editors/emacs/keepalived-mode-tests.el \
;;       -f ert-run-tests-batch-and-exit
;;
;; The eglot test needs eglot: built in from Emacs 29, the elpa-eglot
;; package on Debian (found through package.el below), or installed from
;; ELPA; without it that test is skipped.

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'imenu)
(require 'keepalived-mode)

(defconst keepalived-tests-dir
  (file-name-directory (or load-file-name buffer-file-name))
  "The directory of this file.")

(defun keepalived-tests-fixture (name)
  "The contents of fixture NAME."
  (with-temp-buffer
    (insert-file-contents (expand-file-name (concat "test/fixtures/" name) keepalived-tests-dir))
    (buffer-string)))

(defmacro keepalived-tests-with-buffer (text &rest body)
  "Run BODY in a `keepalived-mode' buffer holding TEXT, point at the start."
  (declare (indent 1) (debug t))
  `(with-temp-buffer
     (insert ,text)
     (keepalived-mode)
     (goto-char (point-min))
     ,@body))

(defun keepalived-tests-face-at (needle &optional offset)
  "The face at the first occurrence of NEEDLE (plus OFFSET characters).
A list of faces is returned as it is."
  (save-excursion
    (goto-char (point-min))
    (if (search-forward needle nil t)
        (get-text-property (+ (match-beginning 0) (or offset 0)) 'face)
      (list 'not-found needle))))

(defun keepalived-tests-has-face (face got)
  "Non-nil if GOT (a face or a list of faces) includes FACE."
  (if (listp got) (memq face got) (eq face got)))

;;; Font lock

(ert-deftest keepalived-mode-font-lock ()
  (keepalived-tests-with-buffer (keepalived-tests-fixture "syntax.conf")
    (font-lock-ensure)
    (dolist (case '(("# full-line" 0 font-lock-comment-delimiter-face)
                    ("full-line comment" 0 font-lock-comment-face)
                    ("$PREFIX=" 0 font-lock-variable-name-face)
                    ("@lb1" 0 font-lock-preprocessor-face)
                    ("@lb1 priority" 5 font-lock-keyword-face)
                    ("@^lb1" 0 font-lock-preprocessor-face)
                    ("include" 0 font-lock-preprocessor-face)
                    ("/etc/keepalived/conf.d" 0 keepalived-path-face)
                    ("global_defs" 0 font-lock-type-face)
                    ("router_id" 0 font-lock-keyword-face)
                    ("lb-1" 0 nil)
                    ("! trailing" 2 font-lock-comment-face)
                    ("notification_email" 0 font-lock-type-face)
                    ("admin@example.com" 0 nil) ; a value block line: no keyword face
                    ("vrrp_script" 0 font-lock-type-face)
                    ("chk_haproxy {" 0 font-lock-function-name-face)
                    ("\"/usr/bin/pgrep" 0 font-lock-string-face)
                    ("# not a comment\"" 0 font-lock-string-face) ; # inside quotes
                    ("interval 2" 0 font-lock-keyword-face)
                    ("interval 2" 9 keepalived-number-face)
                    ("VI_1" 0 font-lock-function-name-face)
                    ("MASTER" 0 font-lock-constant-face)
                    ("nopreempt" 0 font-lock-keyword-face)
                    ("0x10" 0 keepalived-number-face)
                    ("fe80::1%eth0" 0 keepalived-address-face)
                    ("virtual_ipaddress" 0 font-lock-type-face)
                    ("${PREFIX}" 0 font-lock-variable-name-face)
                    ("${PREFIX}" 2 font-lock-variable-name-face) ; not a keyword after {
                    ("i, 1, 1, 3" 3 keepalived-number-face)
                    ("2001:db8::1/64" 0 keepalived-address-face)
                    ("dev eth0" 0 font-lock-builtin-face) ; an option of an address line
                    ("track_script" 0 font-lock-type-face)
                    ("        chk_haproxy" 8 nil) ; a name in a value block
                    ("/etc/keepalived/notify.sh" 0 keepalived-path-face)
                    ("~SEQ" 0 font-lock-preprocessor-face)
                    ("10.0.0.$i" 7 font-lock-variable-name-face)
                    ("00:11:22:33:44:55" 0 keepalived-address-face)
                    ("\\#" 0 keepalived-escape-face)
                    ("\\# not a comment" 3 nil)
                    ("{" 0 keepalived-brace-face)))
      (let* ((needle (nth 0 case)) (offset (nth 1 case)) (want (nth 2 case))
             (got (keepalived-tests-face-at needle offset)))
        (should (equal (list needle offset (if want (and (keepalived-tests-has-face want got) want) got))
                       (list needle offset want)))))))

(ert-deftest keepalived-mode-font-lock-addresses-and-numbers ()
  (keepalived-tests-with-buffer "virtual_server 192.0.2.1 80 {\n    real_server 10.0.0.1 8080 {\n    }\n}\n"
    (font-lock-ensure)
    (should (eq (keepalived-tests-face-at "192.0.2.1") 'keepalived-address-face))
    (should (eq (keepalived-tests-face-at " 80 {" 1) 'keepalived-number-face))
    (should (eq (keepalived-tests-face-at "10.0.0.1") 'keepalived-address-face))
    (should (eq (keepalived-tests-face-at "8080") 'keepalived-number-face))
    (should (eq (keepalived-tests-face-at "real_server") 'font-lock-type-face))))

(ert-deftest keepalived-mode-unterminated-string-ends-at-line-end ()
  (keepalived-tests-with-buffer "notify \"/bin/echo hello\npriority 100\n"
    (font-lock-ensure)
    (search-forward "priority")
    (should-not (nth 3 (syntax-ppss)))
    (should (eq (keepalived-tests-face-at "priority") 'font-lock-keyword-face))))

(ert-deftest keepalived-mode-font-lock-comments-with-braces ()
  ;; Braces and keywords inside comments stay comment (and do not loop the matcher).
  (keepalived-tests-with-buffer "# a { vrrp_instance X { state\nb { c 1 } ! d { e\n"
    (font-lock-ensure)
    (should (keepalived-tests-has-face 'font-lock-comment-face (keepalived-tests-face-at "vrrp_instance")))
    (should (keepalived-tests-has-face 'font-lock-comment-face (keepalived-tests-face-at "state")))
    (should (eq (keepalived-tests-face-at "c 1") 'font-lock-keyword-face))
    (should (keepalived-tests-has-face 'font-lock-comment-face (keepalived-tests-face-at " e" 1)))))

;;; Comments

(ert-deftest keepalived-mode-comments ()
  (keepalived-tests-with-buffer "a 1 # x\nb 2 ! y\nscript \"c # d\"\ne \\# f\n"
    (should (equal comment-start "# "))
    (dolist (case '(("x" . t) ("y" . t) ("d" . nil) ("f" . nil)))
      (goto-char (point-min))
      (search-forward (concat " " (car case)))
      (should (equal (list (car case) (and (nth 4 (syntax-ppss)) t))
                     (list (car case) (cdr case)))))
    (goto-char (point-min))
    (comment-region (point-min) (line-end-position))
    (should (equal (buffer-substring-no-properties (point-min) (line-end-position)) "# a 1 # x"))))

;;; Indentation

(ert-deftest keepalived-mode-indent-sample ()
  (keepalived-tests-with-buffer (keepalived-tests-fixture "indent.conf")
    (indent-region (point-min) (point-max))
    (should (equal (buffer-string) (keepalived-tests-fixture "indent.expected.conf")))))

(ert-deftest keepalived-mode-indent-offset ()
  (keepalived-tests-with-buffer "a {\nb {\nc 1\n}\n}\n"
    (setq-local keepalived-indent-offset 2)
    (indent-region (point-min) (point-max))
    (should (equal (buffer-string) "a {\n  b {\n    c 1\n  }\n}\n"))
    (should-not indent-tabs-mode)))

(ert-deftest keepalived-mode-indent-line-keeps-point ()
  (keepalived-tests-with-buffer "a {\nbcd 1\n}\n"
    (forward-line 1)
    (forward-char 2)                    ; in "bcd"
    (indent-according-to-mode)
    (should (equal (buffer-substring-no-properties (line-beginning-position) (point)) "    bc"))
    (beginning-of-line)
    (indent-according-to-mode)          ; from the indentation: to its end
    (should (= (current-column) 4))))

;;; Imenu

(ert-deftest keepalived-mode-imenu ()
  (keepalived-tests-with-buffer
      (concat "vrrp_sync_group VG_1 {\n    group {\n        VI_1\n    }\n}\n"
              "# vrrp_instance COMMENTED {\n"
              "vrrp_script chk_haproxy {\n    script \"pgrep haproxy\"\n}\n"
              "vrrp_instance VI_1 {\n    state MASTER\n}\n"
              "virtual_server 192.0.2.100 80 {\n"
              "    real_server 10.0.0.11 80 {\n    }\n"
              "    sorry_server 10.0.0.99 80\n"
              "}\n"
              "virtual_server group web {\n    real_server 10.0.0.12 80 {\n    }\n}\n")
    (let ((index (funcall imenu-create-index-function)))
      (should (equal (mapcar #'car index)
                     '("vrrp_sync_group" "vrrp_script" "vrrp_instance" "virtual_server"
                       "real_server" "sorry_server")))
      (should (equal (mapcar #'car (cdr (assoc "vrrp_instance" index))) '("VI_1")))
      (should (equal (mapcar #'car (cdr (assoc "vrrp_sync_group" index))) '("VG_1")))
      (should (equal (mapcar #'car (cdr (assoc "vrrp_script" index))) '("chk_haproxy")))
      (should (equal (mapcar #'car (cdr (assoc "virtual_server" index)))
                     '("192.0.2.100 80" "group web")))
      (should (equal (mapcar #'car (cdr (assoc "real_server" index)))
                     '("192.0.2.100 80 / 10.0.0.11 80" "group web / 10.0.0.12 80")))
      (should (equal (mapcar #'car (cdr (assoc "sorry_server" index)))
                     '("192.0.2.100 80 / 10.0.0.99 80")))
      (let ((pos (cdr (assoc "VI_1" (cdr (assoc "vrrp_instance" index))))))
        (goto-char pos)
        (should (looking-at "vrrp_instance VI_1"))))))

;;; auto-mode-alist

(defun keepalived-tests-mode-for (file-name)
  "The major mode `set-auto-mode' picks for FILE-NAME."
  (with-temp-buffer
    (setq buffer-file-name file-name)
    (unwind-protect
        (progn (set-auto-mode) major-mode)
      (setq buffer-file-name nil))))

(ert-deftest keepalived-mode-auto-mode-alist ()
  (dolist (case '(("/srv/lb/keepalived.conf" . keepalived-mode)
                  ("/srv/lb/keepalived-lb1.conf" . keepalived-mode)
                  ("/srv/lb/keepalived.backup.conf" . keepalived-mode)
                  ("/srv/infra/keepalived/vrrp.conf" . keepalived-mode)
                  ("/srv/infra/keepalived/conf.d/lb/vs.conf" . keepalived-mode)
                  ("/etc/keepalived/keepalived.conf" . keepalived-mode)
                  ("/etc/keepalived/conf.d/lb1.conf" . keepalived-mode)
                  ("/etc/keepalived/notify.sh" . sh-mode)
                  ("/etc/keepalived/notify" . fundamental-mode)
                  ("/srv/lb/other.conf" . conf-unix-mode)))
    (should (equal (list (car case) (keepalived-tests-mode-for (car case)))
                   (list (car case) (cdr case))))))

;;; eglot

(defun keepalived-tests-load-eglot ()
  "Load eglot, also from Debian's elpa-eglot under emacs -Q; nil if missing."
  (or (require 'eglot nil t)
      (progn
        (require 'package)
        (add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
        (setq package-user-dir (make-temp-file "keepalived-tests-elpa" t))
        (package-initialize)
        (require 'eglot nil t))))

(ert-deftest keepalived-mode-eglot-registration ()
  (unless (keepalived-tests-load-eglot)
    (ert-skip "eglot is not installed"))
  (let* ((entry (assq 'keepalived-mode eglot-server-programs))
         (contact (cdr entry)))
    (should entry)
    (should (functionp contact))
    (let ((keepalived-ls-program '("/opt/keepalived-ls" "--log-level" "debug"))
          (keepalived-ls-settings '(:targetVersion "2.2.7" :rules (:extra-arguments "error"))))
      (let* ((c (funcall contact nil))
             (opt-fn (cadr (member :initializationOptions c))))
        (should (equal (cl-subseq c 0 3) '("/opt/keepalived-ls" "--log-level" "debug")))
        (should (functionp opt-fn))
        (should (equal (funcall opt-fn nil)
                       '(:keepalived (:targetVersion "2.2.7" :rules (:extra-arguments "error")))))
        (should (equal (json-serialize (funcall opt-fn nil))
                       "{\"keepalived\":{\"targetVersion\":\"2.2.7\",\"rules\":{\"extra-arguments\":\"error\"}}}"))))
    ;; No settings: an empty object, not null.
    (let ((keepalived-ls-settings nil))
      (should (equal (json-serialize (keepalived-ls--initialization-options nil))
                     "{\"keepalived\":{}}")))))

(provide 'keepalived-mode-tests)

;;; keepalived-mode-tests.el ends here
