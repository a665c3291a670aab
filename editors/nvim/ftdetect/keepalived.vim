" keepalived configuration files (Vim, and Neovim 0.7+), the same patterns as
" the VS Code extension:
"   keepalived.conf, keepalived*.conf   keepalived-lb1.conf, keepalived.backup.conf
"   */keepalived/*.conf                 any *.conf below a directory named keepalived;
"                                       in autocommand patterns * also matches /, so
"                                       this is **/keepalived/**/*.conf and includes
"                                       /etc/keepalived/**/*.conf
" :setfiletype leaves files alone that were already detected as something
" else, but takes over from Vim's generic "conf" guess for *.conf files that
" start with a # comment (that guess comes after the ftdetect files).
" For other names, add your own, e.g. in init.lua:
"   vim.cmd('autocmd BufNewFile,BufRead *.vrrp setfiletype keepalived')
autocmd BufNewFile,BufRead keepalived.conf,keepalived*.conf,*/keepalived/*.conf setfiletype keepalived
