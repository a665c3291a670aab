-- keepalived-ls for Neovim 0.7 and later, without any other plugin.
--
--   require('keepalived_ls').setup({
--     cmd = { 'keepalived-ls' },                       -- default
--     settings = { keepalived = { targetVersion = '2.2.7' } },
--   })
--
-- setup() starts the server when a buffer gets the `keepalived` filetype
-- (ftdetect/keepalived.vim sets it), attaches the buffer to it and sets
-- 'omnifunc' to vim.lsp.omnifunc where it is empty. Buffers
-- under the same root (the nearest directory holding one of root_markers, or
-- else the file's own directory) share one server.
--
-- On Neovim 0.11+ you can use lsp/keepalived_ls.lua with vim.lsp.enable()
-- instead; use one or the other, not both.
local M = {}

-- The same defaults as lsp/keepalived_ls.lua.
M.defaults = {
  name = 'keepalived_ls',
  cmd = { 'keepalived-ls' },
  filetypes = { 'keepalived' },
  root_markers = { '.keepalived-ls.toml', '.git' },
  settings = { keepalived = vim.empty_dict() }, -- sent as {}, where {} would be []
}

M.config = nil -- the merged configuration once setup() ran
local clients = {} -- root_dir -> client id (Neovim 0.7, which has no vim.lsp.start)

local uv = vim.loop

local function dirname(path)
  local parent = path:match('^(.*)/[^/]*$')
  if parent == nil then
    return '.'
  elseif parent == '' then
    return '/'
  end
  return parent
end

--- The root directory for a file: the nearest directory, from the file's own
--- upwards, that holds one of `markers`; the file's directory if none does.
---@param path string absolute file name
---@param markers string[]
---@return string
function M.find_root(path, markers)
  local start = dirname(path)
  local dir = start
  while true do
    for _, marker in ipairs(markers or {}) do
      if uv.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    if dir == '/' then
      return start
    end
    dir = dirname(dir)
  end
end

local function client_config(root)
  local c = M.config
  local settings = c.settings or {}
  local init_options = c.init_options
  if init_options == nil and settings.keepalived ~= nil and next(settings.keepalived) ~= nil then
    -- Also hand the settings over in `initialize`, so that the first
    -- diagnostics already use them (the server accepts the section itself or
    -- an object containing it).
    init_options = { keepalived = settings.keepalived }
  end
  return {
    name = c.name,
    cmd = c.cmd,
    cmd_env = c.cmd_env,
    root_dir = root,
    workspace_folders = c.workspace_folders,
    settings = settings,
    init_options = init_options,
    capabilities = c.capabilities,
    handlers = c.handlers,
    on_attach = c.on_attach,
    on_init = c.on_init,
    on_exit = c.on_exit,
    flags = c.flags,
  }
end

--- Starts (or reuses) the server for buffer `bufnr` and attaches the buffer.
---@param bufnr integer|nil buffer number, 0 or nil for the current buffer
---@return integer|nil client id
function M.start(bufnr)
  if M.config == nil then
    M.setup()
  end
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return nil -- an unnamed buffer: nothing to check includes against
  end
  name = vim.fn.fnamemodify(name, ':p')
  local root = M.config.root_dir
  if type(root) == 'function' then
    root = root(name, bufnr)
  end
  root = root or M.find_root(name, M.config.root_markers)
  local config = client_config(root)

  -- Completion with <C-x><C-o>, unless the user or another plugin chose otherwise.
  if vim.bo[bufnr].omnifunc == '' then
    vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
  end

  if vim.lsp.start then -- Neovim 0.8+: reuses a client with the same name and root_dir
    return vim.lsp.start(config, { bufnr = bufnr })
  end

  local id = clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if client == nil or client.is_stopped() then
    local on_exit = config.on_exit
    config.on_exit = function(...)
      if clients[root] == id then
        clients[root] = nil
      end
      if on_exit then
        on_exit(...)
      end
    end
    id = vim.lsp.start_client(config)
    if id == nil then
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Shows what keepalived reads from a buffer (includes inlined, $NAME and
--- ~SEQ/~LST expanded, @ID lines resolved) in a read-only scratch buffer in
--- a vertical split: the server's keepalived.showExpanded command, also
--- :KeepalivedExpanded. Calls done(lines) when set, else opens the split.
---@param bufnr integer|nil buffer number, 0 or nil for the current buffer
---@param done function|nil
function M.show_expanded(bufnr, done)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local params = { command = 'keepalived.showExpanded', arguments = { vim.uri_from_bufnr(bufnr) } }
  local answered = false
  vim.lsp.buf_request(bufnr, 'workspace/executeCommand', params, function(err, result, ctx)
    local client = ctx and vim.lsp.get_client_by_id(ctx.client_id)
    if answered or (client and client.name ~= (M.config or M.defaults).name) then
      return -- another server attached to the buffer
    end
    answered = true
    if err then
      vim.notify('keepalived-ls: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    local text = type(result) == 'string' and result or ''
    local out = vim.split(text:gsub('\n$', ''), '\n', { plain = true })
    if done then
      done(out)
      return
    end
    local name = 'keepalived-expanded://' .. vim.api.nvim_buf_get_name(bufnr)
    local scratch = vim.fn.bufnr(name)
    if scratch == -1 then
      scratch = vim.api.nvim_create_buf(false, true)
      vim.api.nvim_buf_set_name(scratch, name)
      vim.bo[scratch].bufhidden = 'wipe'
      vim.bo[scratch].filetype = 'keepalived' -- highlighting; no server for a nofile buffer
    end
    vim.bo[scratch].modifiable = true
    vim.api.nvim_buf_set_lines(scratch, 0, -1, false, out)
    vim.bo[scratch].modifiable = false
    if vim.fn.bufwinid(scratch) == -1 then
      vim.cmd('vsplit')
      vim.api.nvim_win_set_buf(0, scratch)
    end
  end)
end

--- Configures keepalived-ls and starts it for keepalived buffers.
--- Options (all optional): cmd, cmd_env, settings, init_options, root_markers,
--- root_dir (a string, or a function(filename, bufnr) returning one),
--- filetypes, capabilities, handlers, on_attach, on_init, on_exit, flags,
--- workspace_folders, name.
---@param opts table|nil
function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  -- Lists are replaced, not merged.
  for _, key in ipairs({ 'cmd', 'filetypes', 'root_markers' }) do
    if opts and opts[key] then
      M.config[key] = opts[key]
    end
  end
  local group = vim.api.nvim_create_augroup('keepalived_ls', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
    desc = 'keepalived-ls: start the language server',
  })
  -- Buffers that got their filetype before setup() ran.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(M.config.filetypes, vim.bo[buf].filetype) then
      M.start(buf)
    end
  end
end

return M
