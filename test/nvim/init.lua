-- Headless Neovim as an LSP client of keepalive-lint-server (test 4 of issue 4). Opens KL_FILE,
-- attaches `node dist/server.js --stdio` with KL_ROOT as the workspace, waits (at most KL_TIMEOUT_MS)
-- for the server's diagnostics of that buffer, prints one tab-separated line per diagnostic —
-- DIAG, rule id, 0-based line, 0-based column, severity, message — and quits (exit 1 on timeout).
-- Works with Neovim 0.7 (Debian 12: vim.lsp.start_client) and later (vim.lsp.start).
local file = assert(os.getenv('KL_FILE'), 'KL_FILE is required')
local root = os.getenv('KL_ROOT') or vim.fn.fnamemodify(file, ':p:h')
local server = assert(os.getenv('KL_SERVER'), 'KL_SERVER is required')
local timeout = tonumber(os.getenv('KL_TIMEOUT_MS') or '20000')

local function out(line)
  io.stdout:write(line .. '\n')
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(bufnr)

local received = false
local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
local config = {
  name = 'keepalive-lint',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'test' } },
  settings = { keepaliveLint = {} },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, cfg)
      publish(err, result, ctx, cfg)
      if result and result.uri == uri then received = true end
    end,
  },
}

local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config)
else
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(bufnr, client_id)
end

if not vim.wait(timeout, function() return received end, 20) then
  out('TIMEOUT waiting for diagnostics of ' .. uri)
  vim.cmd('cquit 1')
end

for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  local code = d.code or lsp.code or ''
  out(table.concat({ 'DIAG', tostring(code), tostring(d.lnum), tostring(d.col), tostring(d.severity), (d.message:gsub('[\t\n]', ' ')) }, '\t'))
end
out('DONE')
vim.lsp.stop_client(client_id)
vim.cmd('qall!')
