-- keepalived-ls for Neovim 0.11+ (vim.lsp.config / vim.lsp.enable) and for
-- nvim-lspconfig, which reads the same format from its own lsp/ directory.
--
-- With this directory on 'runtimepath' (any plugin manager does that):
--
--   vim.lsp.config('keepalived_ls', {          -- optional: your settings
--     settings = { keepalived = { targetVersion = '2.2.7' } },
--   })
--   vim.lsp.enable('keepalived_ls')
--
-- The settings are described in docs/settings.md of keepalived-ls; the server
-- reads them from the `keepalived` section (workspace/configuration and
-- workspace/didChangeConfiguration).
---@type vim.lsp.Config
return {
  cmd = { 'keepalived-ls' },
  filetypes = { 'keepalived' },
  root_markers = { '.keepalived-ls.toml', '.git' },
  settings = {
    -- vim.empty_dict(): sent as {} (a plain {} would be sent as []).
    keepalived = vim.empty_dict(),
  },
}
