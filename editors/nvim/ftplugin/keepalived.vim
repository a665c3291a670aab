" Vim filetype plugin
" Language:    keepalived configuration (keepalived.conf)
" Maintainer:  keepalived-ls <https://github.com/keepalived-ls/keepalived-ls>

if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

let s:cpo_save = &cpo
set cpo&vim

" keepalived takes # and ! as comment starts; gc/gcc (Neovim 0.10+,
" vim-commentary) write "# ".
setlocal commentstring=#\ %s
setlocal comments=:#,:!
" Wrap comments, not code; continue comments with o/O and <CR>; join them.
setlocal formatoptions-=t formatoptions+=croqlj
let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions<'

" keepalived-ls formats with four spaces per block level; set
" g:keepalived_recommended_style = 0 to keep your own settings.
if get(g:, 'keepalived_recommended_style', 1)
  setlocal expandtab shiftwidth=4 softtabstop=4
  let b:undo_ftplugin .= ' expandtab< shiftwidth< softtabstop<'
endif

" :KeepalivedExpanded shows what keepalived reads from this file (the
" server's keepalived.showExpanded command) in a scratch buffer.
command! -buffer KeepalivedExpanded lua require('keepalived_ls').show_expanded(0)
let b:undo_ftplugin .= ' | delcommand KeepalivedExpanded'

let &cpo = s:cpo_save
unlet s:cpo_save
