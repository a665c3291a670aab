;;; lsp-mode-e2e.el --- keepalived-mode + lsp-mode against the real keepalived-ls  -*- lexical-binding: t; -*-

;;; Commentary:

;; Checks the lsp-mode configuration given in editors/emacs/README.md: the
;; client registration, settings through `lsp-register-custom-settings'
;; (answered to the server's workspace/configuration request), diagnostics,
;; hover and formatting.
;;
;; Tested with Debian bookworm: Emacs 28.2 + elpa-lsp-mode 8.0.0.
;;
;;   LSP_SERVER=/abs/keepalived-ls TEST_DIR=/abs/scratch \
;;   emacs -Q --batch -l editors/emacs/test/lsp-mode-e2e.el
;;
;; Exit status: 0 all checks passed, 1 a check failed, 2 the script crashed,
;; 3 lsp-mode is not installed.

;;; Code:

(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(setq package-user-dir (expand-file-name "elpa" (or (getenv "TEST_DIR") temporary-file-directory)))
(package-initialize)
(require 'cl-lib)
(unless (require 'lsp-mode nil t)
  (princ "lsp-mode is not installed (apt-get install elpa-lsp-mode)\n" #'external-debugging-output)
  (kill-emacs 3))

(defvar e2e-here (file-name-directory (or load-file-name buffer-file-name)))
(add-to-list 'load-path (expand-file-name ".." e2e-here))
(require 'keepalived-mode)

(defvar e2e-server (getenv "LSP_SERVER"))
(defvar e2e-dir (getenv "TEST_DIR"))
(defvar e2e-timeout (string-to-number (or (getenv "LSP_TIMEOUT") "10")))
(defvar e2e-pass 0)
(defvar e2e-fail 0)

(defun e2e-log (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n") #'external-debugging-output))

(defun e2e-check (ok what &optional got)
  (if ok
      (progn (cl-incf e2e-pass) (e2e-log "ok   %s" what))
    (cl-incf e2e-fail)
    (e2e-log "FAIL %s -- got: %S" what got))
  ok)

(defun e2e-wait (what pred)
  (let ((t0 (float-time)) (deadline (+ (float-time) e2e-timeout)) res)
    (while (and (not (setq res (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.01)
      (dolist (timer (copy-sequence timer-idle-list)) ; batch is never idle
        (when (memq timer timer-idle-list) (timer-event-handler timer))))
    (e2e-log "     waited %.0f ms for %s" (* 1000 (- (float-time) t0)) what)
    res))

(defun e2e-fixture (name)
  (with-temp-buffer
    (insert-file-contents (expand-file-name (concat "fixtures/" name) e2e-here))
    (buffer-string)))

;;; The configuration of editors/emacs/README.md ("lsp-mode"), with the
;;; server's absolute path:
(with-eval-after-load 'lsp-mode
  (add-to-list 'lsp-language-id-configuration '(keepalived-mode . "keepalived"))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () (list e2e-server)))
    :activation-fn (lsp-activate-on "keepalived")
    :server-id 'keepalived-ls))
  (lsp-register-custom-settings
   '(("keepalived.targetVersion" "2.4.0")
     ("keepalived.rules" (:implicit-real-server-port "off")))))
(add-hook 'keepalived-mode-hook #'lsp-deferred)

;;; Test environment: no questions, no extras.
(setq lsp-auto-guess-root nil
      lsp-enable-file-watchers nil
      lsp-headerline-breadcrumb-enable nil
      lsp-modeline-code-actions-enable nil
      lsp-modeline-diagnostics-enable nil
      lsp-enable-snippet nil
      lsp-diagnostics-provider :flymake
      lsp-session-file (expand-file-name "lsp-session" (or e2e-dir temporary-file-directory))
      lsp-keep-workspace-alive nil)

(defun e2e-diags (code)
  (cl-remove-if-not
   (lambda (d) (equal (lsp-get d :code) code))
   (gethash (lsp--fix-path-casing buffer-file-name) (lsp-diagnostics t))))

(defun e2e-main ()
  (unless (and e2e-server e2e-dir) (error "LSP_SERVER and TEST_DIR must be set"))
  (make-directory e2e-dir t)
  (let ((file (expand-file-name "keepalived.conf" e2e-dir)))
    (with-temp-file file (insert (e2e-fixture "keepalived.conf")))
    ;; The project root, without asking.
    (lsp-workspace-folders-add e2e-dir)
    (find-file file))
  (switch-to-buffer (current-buffer))
  (e2e-check (eq major-mode 'keepalived-mode) "keepalived-mode" major-mode)
  (run-hooks 'post-command-hook)        ; lsp-deferred waits for the command loop
  (e2e-check (e2e-wait "lsp-deferred" (lambda () (bound-and-true-p lsp-mode))) "lsp-deferred turned on lsp-mode")
  (e2e-check (e2e-wait "initialize" (lambda () (and (lsp-workspaces)
                                                    (eq (lsp--workspace-status (car (lsp-workspaces))) 'initialized))))
             "lsp-mode started keepalived-ls")
  (e2e-check (e2e-wait "diagnostics" (lambda () (e2e-diags "duplicate-real-server")))
             "duplicate-real-server diagnostic" (lsp-diagnostics t))
  (let ((d (car (e2e-diags "duplicate-real-server"))))
    (e2e-check (and d (= (lsp:position-line (lsp:range-start (lsp:diagnostic-range d))) 28))
               "on line 29" d))
  (e2e-check (e2e-wait "settings" (lambda () (null (e2e-diags "implicit-real-server-port"))))
             "lsp-register-custom-settings applied: implicit-real-server-port is off" (lsp-diagnostics t))
  (goto-char (point-min)) (forward-line 19) (move-to-column 5) ; on lb_kind
  ;; (The synchronous `lsp-request' idles for seconds in batch mode.)
  (let (hover)
    (lsp-request-async "textDocument/hover" (lsp--text-document-position-params)
                       (lambda (h) (setq hover (or h 'none))))
    (e2e-wait "hover" (lambda () hover))
    (let ((text (and (not (eq hover 'none)) hover
                     (lsp:markup-content-value (lsp:hover-contents hover)))))
      (e2e-check (and text (string-match-p "Packet forwarding method IPVS" text)) "hover" hover)))
  (lsp-format-buffer)
  (e2e-check (string-match-p "\n    state MASTER\n    interface eth0\n" (buffer-string))
             "formatted" (buffer-string))
  (let* ((workspace (car (lsp-workspaces)))
         (proc (lsp--workspace-proc workspace)))
    (lsp-workspace-shutdown workspace)
    (e2e-check (e2e-wait "server exit" (lambda () (not (process-live-p proc))))
               "server stopped" (process-status proc))))

(condition-case err
    (e2e-main)
  (error (e2e-log "CRASH %S" err) (kill-emacs 2)))
(e2e-log "%d passed, %d failed" e2e-pass e2e-fail)
(kill-emacs (if (zerop e2e-fail) 0 1))

;;; lsp-mode-e2e.el ends here
