" Vim syntax file
" Language:    keepalived configuration (keepalived.conf)
" Maintainer:  keepalived-ls <https://github.com/keepalived-ls/keepalived-ls>
"
" Follows the way keepalived reads a file: comments start at # or ! anywhere
" outside double quotes (\# and \! are escapes), the first word of a statement
" is its keyword, braces may appear anywhere. The language server's semantic
" tokens (Neovim 0.9+) refine this where it knows more.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
" Keywords and names are words of letters, digits, _ and -.
syn iskeyword @,48-57,_,192-255,-

" Comments and escapes -------------------------------------------------------
syn keyword keepalivedTodo contained TODO FIXME XXX NOTE
syn match   keepalivedComment "[#!].*$" contains=keepalivedTodo,@Spell
syn match   keepalivedEscape  "\\[#!\\\"]"

" Strings and references -----------------------------------------------------
syn region  keepalivedString  matchgroup=keepalivedQuote start=+"+ end=+"+ end=+$+ contains=keepalivedVariable,keepalivedBuiltin,keepalivedEnv,keepalivedMacroRef oneline
" ${_ENV NAME}, the built-ins, ${NAME} and $NAME
syn match   keepalivedEnv      "\${_ENV\s[^}]*}"
syn match   keepalivedBuiltin  "\$_\%(PWD\|INSTANCE\|RANDOM\|HASH\|BANG\|ENV\)\>"
syn match   keepalivedBuiltin  "\${_\%(PWD\|INSTANCE\|RANDOM\|HASH\|BANG\|ENV\)\%(\s[^}]*\)\=}"
syn match   keepalivedVariable "\$[A-Za-z_][A-Za-z0-9_]*"
syn match   keepalivedVariable "\${[A-Za-z_][A-Za-z0-9_]*}"

" Values ---------------------------------------------------------------------
syn match   keepalivedNumber  "\%([[:alnum:]_.$:/-]\)\@<!-\=\d\+\%(\.\d\+\)\=\%([[:alnum:]_.:/-]\)\@!"
syn match   keepalivedNumber  "\%([[:alnum:]_.$:/-]\)\@<!0[xX]\x\+\%([[:alnum:]_.:]\)\@!"
" IPv4 address or prefix, MAC address, IPv6 address or prefix (with %zone)
syn match   keepalivedAddress "\%([[:alnum:]_.$:/-]\)\@<!\%(\%(25[0-5]\|2[0-4]\d\|1\d\d\|[1-9]\=\d\)\.\)\{3}\%(25[0-5]\|2[0-4]\d\|1\d\d\|[1-9]\=\d\)\%(/\d\{1,2}\)\=\%([[:alnum:]_.:]\)\@!"
syn match   keepalivedAddress "\%([[:alnum:]_.$:/-]\)\@<!\%(\x\x[:-]\)\{5}\x\x\%([[:alnum:]_.:-]\)\@!"
syn match   keepalivedAddress "\%([[:alnum:]_.$:/-]\)\@<!\%(\x\{0,4}:\)\{2,7}\%(\x\{1,4}\|\%(\d\{1,3}\.\)\{3}\d\{1,3}\)\=\%(%[[:alnum:]_.-]\+\)\=\%(/\d\{1,3}\)\=\%([[:alnum:]_:.]\)\@!"
syn keyword keepalivedConstant MASTER BACKUP NAT DR TUN TCP UDP SCTP PASS AH inet inet6
syn keyword keepalivedBoolean  true false on off yes no
syn match   keepalivedPath    "\%([[:alnum:]_$.-]\)\@<!/[^[:space:]{}#!"$]*"
syn match   keepalivedBrace   "[{}]"

syn cluster keepalivedValues contains=keepalivedComment,keepalivedEscape,keepalivedString,keepalivedEnv,keepalivedBuiltin,keepalivedVariable,keepalivedNumber,keepalivedAddress,keepalivedConstant,keepalivedBoolean,keepalivedPath,keepalivedBrace,keepalivedGenerator

" Keywords -------------------------------------------------------------------
" The first word of a statement: at the start of a line or after a brace.
syn match   keepalivedKeyword "\%(\%(^\|[{}]\)\s*\)\@<=[A-Za-z_][A-Za-z0-9_]*\ze\%([[:space:]{}#!"]\|$\)"
" Blocks that hold keywords.
syn match   keepalivedBlock   "\%(\%(^\|[{}]\)\s*\)\@<=\%(global_defs\|authentication\|virtual_server\|real_server\|sorry_server\|static_ipaddress\|static_routes\|static_rules\|net_namespace\|net_namespace_ipvs\|namespace_with_ipsets\|linkbeat_interfaces\|linkbeat_use_polling\|interface_up_down_delays\|child_wait_time\|use_pid_dir\|auth_hmac\|instance\|host\|url\|SSL\|TCP_CHECK\|UDP_CHECK\|HTTP_GET\|SSL_GET\|SMTP_CHECK\|MISC_CHECK\|DNS_CHECK\|BFD_CHECK\|PING_CHECK\|FILE_CHECK\)\ze\%([[:space:]{}#!"]\|$\)"
" Named blocks: the keyword, then the name they define.
syn match   keepalivedBlock   "\%(\%(^\|[{}]\)\s*\)\@<=\%(vrrp_instance\|vrrp_sync_group\|vrrp_script\|vrrp_track_process\|vrrp_track_file\|track_file\|track_group\|bfd_instance\|garp_group\|virtual_server_group\)\ze\%([[:space:]{}#!"]\|$\)" nextgroup=keepalivedName skipwhite
syn match   keepalivedName    contained "[^[:space:]{}#!"]\+" contains=keepalivedVariable,keepalivedBuiltin
syn match   keepalivedBlock   "\%(\%(^\|[{}]\)\s*\)\@<=virtual_server\s\+group\>" nextgroup=keepalivedName skipwhite
" Blocks whose lines are values (addresses, names), not keywords.
syn region  keepalivedValueBlock matchgroup=keepalivedBlock start="\%(\%(^\|[{}]\)\s*\)\@<=\%(virtual_ipaddress_excluded\|virtual_ipaddress\|virtual_routes\|virtual_rules\|static_ipaddress\|static_routes\|static_rules\|virtual_server_group\|interface_up_down_delays\|linkbeat_interfaces\|notification_email\|track_interface\|track_process\|track_script\|track_group\|track_file\|track_bfd\|unicast_peer\|interfaces\|group\)\s*{" matchgroup=keepalivedBrace end="}" contains=@keepalivedValues,keepalivedOption,keepalivedConditional,keepalivedDefinition,keepalivedInclude
syn keyword keepalivedOption contained dev scope label brd broadcast peer src via from to table metric proto protocol
      \ dport sport lookup goto realms no_track preferred_lft onlink blackhole prohibit unreachable throw
      \ nexthop weight mtu advmss rtt rttvar reordering window cwnd initcwnd initrwnd ssthresh features
      \ quickack congctl rto_min pref priority tos fwmark iif oif uidrange l3mdev suppress_prefixlength
      \ suppress_ifgroup ipproto not type expires home mngtmpaddr noprefixroute autojoin nfqueue hoplimit
      \ encap ttl-propagate fastopen_no_cookie lock default inet inet6 max_ttl min_ttl noreverse reverse
      \ nodad -nodad forever

" Lines with a meaning of their own ------------------------------------------
" include, includer, includem, includew, includeb, includea: the rest is a path (glob).
syn match   keepalivedInclude "\%(\%(^\|[{}]\)\s*\)\@<=include[rmwba]\=\ze\%([[:space:]{}#!"]\|$\)" nextgroup=keepalivedIncludePath skipwhite
syn match   keepalivedIncludePath contained "[^[:space:]#!]\+" contains=keepalivedVariable,keepalivedBuiltin,keepalivedString
" $NAME=value (continued on the next line after a trailing \)
syn match   keepalivedDefinition "^\s*\$[A-Za-z_][A-Za-z0-9_]*\s*="me=e-1 nextgroup=keepalivedAssign
syn match   keepalivedAssign contained "="
" @ID text and @^ID text: the line applies only on the nodes with (or without) that config id.
syn match   keepalivedConditional "^\s*@\^\=[^[:space:]#!"{}]*" nextgroup=keepalivedCondKeyword skipwhite
syn match   keepalivedCondKeyword contained "[A-Za-z_][A-Za-z0-9_]*\ze\%([[:space:]{}#!"]\|$\)"
" ~SEQ(var, start, step, end), ~SEQx(...), ~LST(var, a, b, ...)
syn match   keepalivedGenerator "\~\%(SEQx\=\|LST\)\ze("

" Highlighting -----------------------------------------------------------------
hi def link keepalivedTodo            Todo
hi def link keepalivedComment         Comment
hi def link keepalivedEscape          SpecialChar
hi def link keepalivedString          String
hi def link keepalivedQuote           String
hi def link keepalivedVariable        Identifier
hi def link keepalivedBuiltin         Special
hi def link keepalivedEnv             Special
hi def link keepalivedNumber          Number
hi def link keepalivedAddress         Number
hi def link keepalivedConstant        Constant
hi def link keepalivedBoolean         Boolean
hi def link keepalivedPath            String
hi def link keepalivedBrace           Delimiter
hi def link keepalivedKeyword         Keyword
hi def link keepalivedBlock           Structure
hi def link keepalivedName            Function
hi def link keepalivedOption          Type
hi def link keepalivedInclude         Include
hi def link keepalivedIncludePath     String
hi def link keepalivedDefinition      Define
hi def link keepalivedAssign          Operator
hi def link keepalivedConditional     PreCondit
hi def link keepalivedCondKeyword     Keyword
hi def link keepalivedGenerator       Macro

let b:current_syntax = 'keepalived'

let &cpo = s:cpo_save
unlet s:cpo_save
