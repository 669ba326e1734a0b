-- borrowlens: the `:BorrowLens` command and the highlight groups. Nothing starts until
-- `require('borrowlens').setup({...})` (or `:BorrowLens enable`).

if vim.g.loaded_borrowlens then
  return
end
vim.g.loaded_borrowlens = true

vim.api.nvim_create_user_command('BorrowLens', function(args)
  require('borrowlens').command(args)
end, {
  nargs = '?',
  desc = 'borrowlens: enable, disable, toggle, regions, restart, status',
  complete = function(lead)
    local names = vim.tbl_keys(require('borrowlens').subcommands)
    table.sort(names)
    return vim.tbl_filter(function(name)
      return vim.startswith(name, lead)
    end, names)
  end,
})

require('borrowlens').define_highlights()
