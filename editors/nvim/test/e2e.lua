-- Headless Neovim end-to-end test: the plugin in this directory (ftdetect,
-- ftplugin, lua/keepalived_ls) against the real keepalived-ls server.
-- Written for Neovim 0.7 (Debian bookworm); uses vim.lsp.buf.format and the
-- 0.8+ code action items where they exist.
--
-- Run via editors/test-nvim-emacs.sh, or directly:
--   LSP_SERVER=/abs/keepalived-ls TEST_DIR=/abs/scratch NVIM_PLUGIN_DIR=/abs/editors/nvim \
--   nvim --headless -u NONE -i NONE -n --cmd 'set rtp^=editors/nvim' -c 'luafile editors/nvim/test/e2e.lua'
--
-- TEST_DIR receives a copy of test/fixtures/keepalived.conf (and a second
-- file); LSP_TIMEOUT_MS (default 10000) bounds each wait.
-- Exit status: 0 all checks passed, 1 a check failed, 2 the script crashed.

local server = os.getenv('LSP_SERVER')
local dir = os.getenv('TEST_DIR')
local plugin = os.getenv('NVIM_PLUGIN_DIR')
local TIMEOUT = tonumber(os.getenv('LSP_TIMEOUT_MS') or '10000')

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
local function lines(buf) return vim.api.nvim_buf_get_lines(buf, 0, -1, false) end
local function wait(what, cond)
  local t0 = vim.loop.hrtime()
  local okw = vim.wait(TIMEOUT, cond, 10)
  log('     waited %.0f ms for %s', (vim.loop.hrtime() - t0) / 1e6, what)
  return okw
end
local function readfile(path) return vim.fn.readfile(path) end

local DUP = 'real_server 10.0.0.11 is already declared in this virtual_server (the same destination '
  .. '10.0.0.11:80 once keepalived fills in the port); keepalived does not notice and both manage it'
local HOVER_HEAD = '**lb_kind** — keyword in `virtual_server`'
local HOVER = 'Packet forwarding method IPVS uses towards the real servers'
local FIX = 'Delete this duplicate real_server'

local function find_diag(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local c = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if c == code then
      return d
    end
  end
end

local function codes(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    out[#out + 1] = string.format('%d:%d %s', d.lnum + 1, d.col + 1,
      tostring(d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)))
  end
  return out
end

local exit_code, exit_signal

local function main()
  assert(server and dir and plugin, 'LSP_SERVER, TEST_DIR and NVIM_PLUGIN_DIR must be set')
  if os.getenv('LSP_DEBUG') == '1' then vim.lsp.set_log_level('debug') end
  vim.fn.mkdir(dir, 'p')
  local file = dir .. '/keepalived.conf'
  vim.fn.writefile(readfile(plugin .. '/test/fixtures/keepalived.conf'), file)
  vim.fn.writefile({ 'vrrp_instance VI_2 {', '    state BACKUP', '}' }, dir .. '/keepalived-backup.conf')
  vim.fn.mkdir(dir .. '/.git', 'p') -- a root marker

  -- What a user's init.lua does (the plugin directory is on 'runtimepath').
  vim.cmd('filetype plugin indent on')
  vim.cmd('syntax on')
  require('keepalived_ls').setup({
    cmd = { server },
    settings = { keepalived = { rules = { ['implicit-real-server-port'] = 'off' } } },
    on_exit = function(code, signal) exit_code, exit_signal = code, signal end,
  })

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == 'keepalived', 'filetype detected', vim.bo[buf].filetype)

  -- 1. the FileType autocmd started the server; initialize handshake
  --    (Neovim 0.7 lists a client for a buffer once it is initialized)
  local client_id
  if not check(wait('initialize', function()
    client_id = next(vim.lsp.buf_get_clients(buf))
    return client_id ~= nil or exit_code ~= nil
  end) and exit_code == nil, 'client started and initialized', { exit_code = exit_code, exit_signal = exit_signal }) then
    error('aborting: server did not start')
  end
  local client = vim.lsp.get_client_by_id(client_id)
  check(client.config.root_dir == dir, 'root_dir is the directory with .git', client.config.root_dir)
  check(vim.lsp.buf_is_attached(buf, client_id), 'buffer attached')
  check(vim.bo[buf].omnifunc == 'v:lua.vim.lsp.omnifunc', 'omnifunc set for completion', vim.bo[buf].omnifunc)

  -- 2. diagnostics pushed after didOpen
  check(wait('diagnostics', function() return find_diag(buf, 'duplicate-real-server') ~= nil end),
    'duplicate-real-server diagnostic arrived', codes(buf))
  local d = find_diag(buf, 'duplicate-real-server') or {}
  check(vim.deep_equal(codes(buf), { '29:5 duplicate-real-server' }),
    'exactly one diagnostic, duplicate-real-server at 29:5 (settings applied: implicit-real-server-port is off)',
    codes(buf))
  check(d.lnum == 28 and d.col == 4 and d.end_lnum == 28 and d.end_col == 25,
    'range 29:5-29:26 ("real_server 10.0.0.11")', { d.lnum, d.col, d.end_lnum, d.end_col })
  check(d.message == DUP, 'exact duplicate real_server message', d.message)
  check(d.severity == vim.diagnostic.severity.ERROR, 'severity ERROR', d.severity)
  check(d.source == 'keepalived-ls', 'source keepalived-ls', d.source)

  -- A second file under the same root shares the client.
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/keepalived-backup.conf'))
  local buf2 = vim.api.nvim_get_current_buf()
  check(vim.lsp.buf_is_attached(buf2, client_id), 'second file attached to the same client', vim.lsp.buf_get_clients(buf2))
  check(#vim.lsp.get_active_clients() == 1, 'one client for the root', #vim.lsp.get_active_clients())
  vim.cmd('buffer ' .. buf)

  -- 3. hover on a keyword, as a request and through vim.lsp.buf.hover()
  local uri = vim.uri_from_bufnr(buf)
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
    { textDocument = { uri = uri }, position = { line = 19, character = 5 } }, TIMEOUT) or {}
  local hover = res[client_id] and res[client_id].result
  local text = hover and type(hover.contents) == 'table' and hover.contents.value or nil
  check(hover and hover.contents.kind == 'markdown', 'hover is markdown', hover)
  check(type(text) == 'string' and vim.split(text, '\n', { plain = true })[1] == HOVER_HEAD,
    'hover on lb_kind starts with ' .. HOVER_HEAD, text)
  check(type(text) == 'string' and text:find(HOVER, 1, true) ~= nil, 'hover documents the keyword', text)
  check(hover and vim.deep_equal(hover.range, { start = { line = 19, character = 4 }, ['end'] = { line = 19, character = 11 } }),
    'hover range is the word lb_kind', hover and hover.range)
  vim.api.nvim_win_set_cursor(0, { 20, 5 }) -- (1-based row, 0-based col) on "lb_kind"
  local main_win = vim.api.nvim_get_current_win()
  vim.lsp.buf.hover()
  local float_text
  wait('hover float', function()
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= '' then
        float_text = table.concat(lines(vim.api.nvim_win_get_buf(w)), '\n')
        return true
      end
    end
    return false
  end)
  check(float_text and float_text:find(HOVER, 1, true), 'hover float shows the documentation', float_text)
  vim.api.nvim_set_current_win(main_win)
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= '' then vim.api.nvim_win_close(w, true) end
  end

  -- 4. the quick fix "Delete this duplicate real_server": listed by a request,
  --    then applied through vim.lsp.buf.code_action() with vim.ui.select
  --    answering like a user who picks it from the menu.
  local range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } }
  res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = range,
    context = { diagnostics = { {
      range = range, message = d.message, severity = d.severity, code = 'duplicate-real-server', source = d.source } } },
  }, TIMEOUT) or {}
  local titles = {}
  for _, a in ipairs(res[client_id] and res[client_id].result or {}) do titles[#titles + 1] = a.title end
  check(vim.deep_equal(titles, { FIX, 'Disable duplicate-real-server for this line' }), 'quick fixes offered', titles)

  local offered = {}
  vim.ui.select = function(items, opts, on_choice)
    for _, item in ipairs(items) do
      local label = opts.format_item and opts.format_item(item) or tostring(item)
      offered[#offered + 1] = label
    end
    for i, label in ipairs(offered) do
      if label == FIX then
        return on_choice(items[i], i)
      end
    end
    on_choice(nil, nil)
  end
  local before = #lines(buf)
  vim.api.nvim_win_set_cursor(0, { 29, 6 }) -- on the second "real_server"
  if vim.fn.has('nvim-0.8') == 1 then
    vim.lsp.buf.code_action({ context = { only = { 'quickfix' } } })
  else -- 0.7 takes the CodeActionContext itself
    vim.lsp.buf.code_action({ only = { 'quickfix' } })
  end
  check(wait('quick fix applied', function() return #lines(buf) < before end), 'quick fix changed the buffer', offered)
  check(vim.deep_equal(offered, { FIX, 'Disable duplicate-real-server for this line' }),
    'the menu offered the quick fixes for the line', offered)
  local want_fixed = readfile(plugin .. '/test/fixtures/keepalived.fixed.conf')
  check(vim.deep_equal(lines(buf), want_fixed), 'duplicate real_server deleted', lines(buf))
  check(wait('diagnostic cleared', function() return find_diag(buf, 'duplicate-real-server') == nil end),
    'duplicate-real-server diagnostic gone after the fix (didChange sent)', codes(buf))

  -- 5. formatting through the real command
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ async = false, timeout_ms = TIMEOUT })
  else
    vim.lsp.buf.formatting_sync(nil, TIMEOUT)
  end
  local want = readfile(plugin .. '/test/fixtures/keepalived.formatted.conf')
  check(vim.deep_equal(lines(buf), want), 'buffer formatted', lines(buf))
  check(#vim.diagnostic.get(buf) == 0 or wait('no diagnostics', function() return #vim.diagnostic.get(buf) == 0 end),
    'no diagnostics left', codes(buf))

  -- 6. the effective configuration (:KeepalivedExpanded) equals `keepalived-ls expand`
  local path = vim.api.nvim_buf_get_name(buf)
  vim.cmd('silent write')
  local want_expanded = vim.fn.systemlist({ server, 'expand', path })
  check(vim.v.shell_error == 0 and #want_expanded > 0, 'keepalived-ls expand ran', want_expanded)
  vim.cmd('KeepalivedExpanded')
  local scratch = -1
  check(wait(':KeepalivedExpanded buffer', function()
    scratch = vim.fn.bufnr('keepalived-expanded://' .. path)
    return scratch ~= -1 and #lines(scratch) > 1
  end), ':KeepalivedExpanded opened the scratch buffer', scratch)
  if scratch ~= -1 then
    check(vim.deep_equal(lines(scratch), want_expanded), 'the scratch buffer holds the expanded configuration', lines(scratch))
    check(vim.bo[scratch].buftype == 'nofile' and not vim.bo[scratch].modifiable and vim.bo[scratch].filetype == 'keepalived',
      'scratch buffer: nofile, read-only, filetype keepalived', { vim.bo[scratch].buftype, vim.bo[scratch].modifiable })
    vim.cmd('close')
  end

  -- 7. clean shutdown
  vim.lsp.stop_client(client_id)
  check(wait('server exit', function() return exit_code ~= nil end), 'server exited')
  check(exit_code == 0, 'server exit code 0 (shutdown/exit handshake)', { exit_code, exit_signal })
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  log('CRASH %s', err)
  vim.cmd('cquit 2')
end
log('%d passed, %d failed', passes, failures)
vim.cmd(failures == 0 and 'qall!' or 'cquit 1')
