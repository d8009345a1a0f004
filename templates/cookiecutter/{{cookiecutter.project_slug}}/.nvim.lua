-- Neovim 0.11+ runs this file when 'exrc' is set (`vim.o.exrc = true` in your init.lua) and
-- you have trusted it (:trust): podgen's language server for this project's YAML files.
if vim.fn.has('nvim-0.11') == 1 then
  vim.lsp.config('podgen', {
    cmd = { 'podgen', 'lsp' },
    filetypes = { 'yaml' },
    root_markers = { 'podgen.yaml', '.git' },
  })
  vim.lsp.enable('podgen')
end
