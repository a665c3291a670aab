-- Headless checks of the Neovim runtime files, without a language server:
-- filetype detection, ftplugin options, syntax groups, indentation, and the
-- defaults of lsp/keepalived_ls.lua and lua/keepalived_ls.
--
--   nvim --headless -u NONE -i NONE -n --cmd 'set rtp^=editors/nvim' \
--        -c 'luafile editors/nvim/test/unit.lua'
--
-- Env: NVIM_PLUGIN_DIR (editors/nvim, absolute), TEST_TMP (a scratch directory).
-- Exit status: 0 all checks passed, 1 a check failed, 2 the script crashed.

local plugin = assert(os.getenv('NVIM_PLUGIN_DIR'), 'NVIM_PLUGIN_DIR must be set')
local tmp = assert(os.getenv('TEST_TMP'), 'TEST_TMP must be set')
local fixtures = plugin .. '/test/fixtures'

local failures, passes = 0, 0
local function log(fmt, ...) io.stderr:write(string.format(fmt, ...) .. '\n') end
local function check(cond, what, got)
  if cond then
    passes = passes + 1
    log('ok   %s', what)
  else
    failures = failures + 1
    log('FAIL %s -- got: %s', what, vim.inspect(got))
  end
  return cond
end

local function filetype_of(path)
  vim.cmd('silent! edit ' .. vim.fn.fnameescape(path))
  local ft = vim.bo.filetype
  vim.cmd('silent! bwipeout!')
  return ft
end

local function write(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  vim.fn.writefile(vim.split(text, '\n', { plain = true }), path)
end

-- The syntax group at the first occurrence of `needle` in the buffer
-- (at `offset` characters into it; 0 by default).
local function group_at(needle, offset)
  for lnum, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return vim.fn.synIDattr(vim.fn.synID(lnum, col + (offset or 0), 1), 'name')
    end
  end
  return 'not found: ' .. needle
end

local function main()
  vim.cmd('filetype plugin indent on')
  vim.cmd('syntax on')

  -- 1. filetype detection --------------------------------------------------
  -- The patterns of the VS Code extension: keepalived.conf, keepalived*.conf,
  -- **/keepalived/**/*.conf (which includes /etc/keepalived/**/*.conf).
  local detected = {
    { tmp .. '/a/keepalived.conf', 'keepalived' },
    { tmp .. '/a/keepalived-lb1.conf', 'keepalived' },
    { tmp .. '/a/keepalived.backup.conf', 'keepalived' },
    { tmp .. '/keepalived/vrrp.conf', 'keepalived' },
    { tmp .. '/infra/keepalived/conf.d/lb/vs.conf', 'keepalived' },
    { '/etc/keepalived/keepalived.conf', 'keepalived' },
    { '/etc/keepalived/conf.d/vrrp.conf', 'keepalived' },
    { '/etc/keepalived/conf.d/lb1.vrrp', '' }, -- not one of the patterns
    { '/etc/keepalived/notify.sh', 'sh' }, -- scripts keep their own filetype
    { tmp .. '/a/keepalived.txt', 'text' },
    { tmp .. '/a/nginx.conf', 'nginx' },
    { tmp .. '/a/other.conf', '' },
  }
  for _, case in ipairs(detected) do
    local path, want = case[1], case[2]
    local got = filetype_of(path)
    check(got == want, ('filetype of %s is %q'):format(path, want), got)
  end
  -- A file starting with a comment is guessed as "conf" by Vim's fallback;
  -- the keepalived patterns must win.
  write(tmp .. '/b/keepalived.conf', '# comment\nglobal_defs {\n}')
  check(filetype_of(tmp .. '/b/keepalived.conf') == 'keepalived', 'keepalived.conf starting with # is keepalived',
    filetype_of(tmp .. '/b/keepalived.conf'))
  write(tmp .. '/b/plain.conf', '# comment\nkey value')
  check(filetype_of(tmp .. '/b/plain.conf') == 'conf', 'other commented *.conf stays conf', filetype_of(tmp .. '/b/plain.conf'))

  -- 2. ftplugin -------------------------------------------------------------
  vim.cmd('edit ' .. vim.fn.fnameescape(fixtures .. '/syntax.conf'))
  vim.cmd('setfiletype keepalived')
  check(vim.bo.filetype == 'keepalived', 'fixture has filetype keepalived', vim.bo.filetype)
  check(vim.bo.commentstring == '# %s', 'commentstring', vim.bo.commentstring)
  check(vim.bo.comments == ':#,:!', 'comments', vim.bo.comments)
  check(vim.bo.formatoptions:find('c') and vim.bo.formatoptions:find('q') and not vim.bo.formatoptions:find('t'),
    'formatoptions has c and q, not t', vim.bo.formatoptions)
  check(vim.bo.expandtab and vim.bo.shiftwidth == 4, 'recommended style: expandtab, shiftwidth 4',
    { vim.bo.expandtab, vim.bo.shiftwidth })
  check(vim.b.undo_ftplugin ~= nil and vim.b.undo_ftplugin:find('commentstring<', 1, true), 'b:undo_ftplugin set',
    vim.b.undo_ftplugin)

  -- 3. syntax ---------------------------------------------------------------
  check(vim.b.current_syntax == 'keepalived', 'syntax loaded', vim.b.current_syntax)
  local groups = {
    { '# full-line', 0, 'keepalivedComment' },
    { 'TODO', 0, 'keepalivedTodo' },
    { '$PREFIX=', 0, 'keepalivedDefinition' },
    { '@lb1', 0, 'keepalivedConditional' },
    { '@lb1 priority', 5, 'keepalivedCondKeyword' },
    { '@^lb1', 0, 'keepalivedConditional' },
    { 'include', 0, 'keepalivedInclude' },
    { '/etc/keepalived/conf.d', 0, 'keepalivedIncludePath' },
    { 'global_defs', 0, 'keepalivedBlock' },
    { 'router_id', 0, 'keepalivedKeyword' },
    { '! trailing', 0, 'keepalivedComment' },
    { 'notification_email', 0, 'keepalivedBlock' },
    { 'admin@example.com', 0, 'keepalivedValueBlock' }, -- a value, not a keyword
    { 'vrrp_script', 0, 'keepalivedBlock' },
    { 'chk_haproxy {', 0, 'keepalivedName' },
    { '"/usr/bin/pgrep', 0, 'keepalivedQuote' },
    { '/usr/bin/pgrep', 0, 'keepalivedString' },
    { '# not a comment"', 0, 'keepalivedString' }, -- # inside quotes
    { 'interval 2', 9, 'keepalivedNumber' },
    { 'VI_1', 0, 'keepalivedName' },
    { 'MASTER', 0, 'keepalivedConstant' },
    { 'nopreempt', 0, 'keepalivedKeyword' },
    { '0x10', 0, 'keepalivedNumber' },
    { 'fe80::1%eth0', 0, 'keepalivedAddress' },
    { 'virtual_ipaddress', 0, 'keepalivedBlock' },
    { '${PREFIX}', 0, 'keepalivedVariable' },
    { 'dev eth0', 0, 'keepalivedOption' },
    { '2001:db8::1/64', 0, 'keepalivedAddress' },
    { 'track_script', 0, 'keepalivedBlock' },
    { '        chk_haproxy', 8, 'keepalivedValueBlock' }, -- a name, not a keyword
    { '/etc/keepalived/notify.sh', 0, 'keepalivedPath' },
    { '~SEQ', 0, 'keepalivedGenerator' },
    { '10.0.0.$i', 7, 'keepalivedVariable' },
    { '00:11:22:33:44:55', 0, 'keepalivedAddress' },
    { '\\#', 0, 'keepalivedEscape' },
    { '\\# not a comment', 3, '' },
    { '{', 0, 'keepalivedBrace' },
  }
  for _, g in ipairs(groups) do
    local got = group_at(g[1], g[2])
    check(got == g[3], ('syntax of %q is %s'):format(g[1], g[3] == '' and '(none)' or g[3]), got)
  end

  -- 4. indentation ------------------------------------------------------------
  vim.cmd('edit ' .. vim.fn.fnameescape(fixtures .. '/indent.conf'))
  vim.cmd('setfiletype keepalived')
  check(vim.bo.indentexpr == 'KeepalivedIndent(v:lnum)', 'indentexpr', vim.bo.indentexpr)
  vim.cmd("silent normal! gg=G")
  local want = vim.fn.readfile(fixtures .. '/indent.expected.conf')
  local got = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  check(vim.deep_equal(got, want), 'gg=G indents by brace depth', got)
  -- typing: o after a line with { indents, } dedents (indentkeys)
  vim.cmd('enew')
  vim.cmd('setfiletype keepalived')
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('ivrrp_instance VI_1 {<CR>state MASTER<CR>}<Esc>', true, false, true), 'x', false)
  got = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  check(vim.deep_equal(got, { 'vrrp_instance VI_1 {', '    state MASTER', '}' }), 'indent while typing', got)
  vim.cmd('bwipeout!')

  -- 5. LSP configuration ------------------------------------------------------
  local lspcfg = dofile(plugin .. '/lsp/keepalived_ls.lua')
  check(vim.deep_equal(lspcfg.cmd, { 'keepalived-ls' }), 'lsp/: cmd', lspcfg.cmd)
  check(vim.deep_equal(lspcfg.filetypes, { 'keepalived' }), 'lsp/: filetypes', lspcfg.filetypes)
  check(vim.deep_equal(lspcfg.root_markers, { '.keepalived-ls.toml', '.git' }), 'lsp/: root_markers', lspcfg.root_markers)
  check(type(lspcfg.settings) == 'table' and type(lspcfg.settings.keepalived) == 'table', 'lsp/: settings.keepalived',
    lspcfg.settings)
  local ls = require('keepalived_ls')
  for _, key in ipairs({ 'cmd', 'filetypes', 'root_markers', 'settings' }) do
    check(vim.deep_equal(ls.defaults[key], lspcfg[key]), 'plugin default ' .. key .. ' matches lsp/', ls.defaults[key])
  end
  check(vim.json.encode(lspcfg.settings) == '{"keepalived":{}}', 'lsp/: settings encode as an object',
    vim.json.encode(lspcfg.settings))
  vim.cmd('silent! %bwipeout!')
  ls.setup({})
  check(vim.json.encode(ls.config.settings) == '{"keepalived":{}}', 'setup(): settings encode as an object',
    vim.json.encode(ls.config.settings))
  write(tmp .. '/proj/.keepalived-ls.toml', '')
  write(tmp .. '/proj/lb/keepalived.conf', '')
  check(ls.find_root(tmp .. '/proj/lb/keepalived.conf', ls.defaults.root_markers) == tmp .. '/proj',
    'root: the directory with .keepalived-ls.toml', ls.find_root(tmp .. '/proj/lb/keepalived.conf', ls.defaults.root_markers))
  write(tmp .. '/loose/keepalived.conf', '')
  check(ls.find_root(tmp .. '/loose/keepalived.conf', { '.no-such-marker' }) == tmp .. '/loose',
    'root: the file\'s directory without markers', ls.find_root(tmp .. '/loose/keepalived.conf', { '.no-such-marker' }))
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  log('CRASH %s', err)
  vim.cmd('cquit 2')
end
log('%d passed, %d failed', passes, failures)
vim.cmd(failures == 0 and 'qall!' or 'cquit 1')
