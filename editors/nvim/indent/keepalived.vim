" Vim indent file
" Language:    keepalived configuration (keepalived.conf)
" Maintainer:  keepalived-ls <https://github.com/keepalived-ls/keepalived-ls>
"
" Indents by brace depth: one 'shiftwidth' more after a line that opens more
" braces than it closes, one less for a line starting with }. Braces in
" comments (# or ! outside double quotes) and in strings do not count.

if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=KeepalivedIndent(v:lnum)
setlocal indentkeys=0{,0},0),!^F,o,O
setlocal nosmartindent nocindent autoindent
let b:undo_indent = 'setlocal indentexpr< indentkeys< smartindent< cindent< autoindent<'

if exists('*KeepalivedIndent')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" The number of { minus the number of } on a line, outside strings and comments.
function! s:BraceBalance(line) abort
  let balance = 0
  let in_string = 0
  let i = 0
  let n = strlen(a:line)
  while i < n
    let c = a:line[i]
    if in_string
      if c ==# '"'
        let in_string = 0
      endif
    elseif c ==# '\'
      let i += 1
    elseif c ==# '"'
      let in_string = 1
    elseif c ==# '#' || c ==# '!'
      break
    elseif c ==# '{'
      let balance += 1
    elseif c ==# '}'
      let balance -= 1
    endif
    let i += 1
  endwhile
  return balance
endfunction

function! KeepalivedIndent(lnum) abort
  " The nearest line above with code on it (full-line comments do not count).
  let prev = prevnonblank(a:lnum - 1)
  while prev > 0 && getline(prev) =~# '^\s*[#!]'
    let prev = prevnonblank(prev - 1)
  endwhile
  if prev == 0
    return 0
  endif
  " A line starting with } is one level out; the previous line's own leading
  " } was already taken off its indent.
  let plead = getline(prev) =~# '^\s*}' ? 1 : 0
  let clead = getline(a:lnum) =~# '^\s*}' ? 1 : 0
  let ind = indent(prev) + (s:BraceBalance(getline(prev)) + plead - clead) * shiftwidth()
  return ind < 0 ? 0 : ind
endfunction

let &cpo = s:cpo_save
unlet s:cpo_save
