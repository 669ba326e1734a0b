-- The Neovim end-to-end test: the plugin in a real headless Neovim against the real server, on a
-- seed with an E0502, then `:checkhealth borrowlens`, healthy and broken. Run by run.sh as `nvim --headless --clean -l test.lua PLUGIN BINARY WORKSPACE`;
-- prints one line per check and `N passed, N failed` (with skips), and exits 1 on any failure.

local plugin, binary, workspace = arg[1], arg[2], arg[3]
local TIMEOUT = 15000

vim.opt.runtimepath:prepend(plugin)
vim.cmd('filetype on')
-- What a plugin manager does: source plugin/ and call setup().
vim.cmd.runtime('plugin/borrowlens.lua')

-- print() in `nvim -l` ends a line only when the next message starts: write whole lines.
local function print(line)
  io.stdout:write(line, '\n')
end

local passed, failed, skipped = 0, 0, 0
local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    print('ok - ' .. name)
  else
    failed = failed + 1
    print('not ok - ' .. name .. (detail and (': ' .. detail) or ''))
  end
  return ok
end
local function skip(name, why)
  skipped = skipped + 1
  print(string.rep('!', 72))
  print('SKIP - ' .. name .. ': ' .. why)
  print(string.rep('!', 72))
end
local function finish()
  print(string.format('%d passed, %d failed, %d skipped', passed, failed, skipped))
  os.exit(failed == 0 and passed > 0 and 0 or 1)
end
local function wait(predicate)
  return vim.wait(TIMEOUT, predicate, 20)
end

require('borrowlens').setup({ cmd = { binary, 'lsp' } })

local seed = workspace .. '/s002_shared_then_exclusive.rs'
vim.cmd.edit(vim.fn.fnameescape(seed))
local buf = vim.api.nvim_get_current_buf()
check('the buffer is rust', vim.bo[buf].filetype == 'rust', vim.bo[buf].filetype)

local client
check('borrowlens attaches', wait(function()
  client = vim.lsp.get_clients({ bufnr = buf, name = 'borrowlens' })[1]
  return client ~= nil and client.initialized
end))
if not client then
  finish()
end
check('root is the Cargo.toml folder', client.root_dir == workspace, tostring(client.root_dir))

local function diagnostics(code)
  return vim.tbl_filter(function(d)
    return d.source == 'borrowlens' and (code == nil or d.code == code)
  end, vim.diagnostic.get(buf))
end

-- 1. The seed's E0502, at rustc's line and column, with its code.
check('diagnostic E0502 published', wait(function()
  return #diagnostics('E0502') > 0
end))
local d = diagnostics('E0502')[1]
if d then
  check('E0502 on line 6, column 13', d.lnum == 5 and d.col == 12, vim.inspect({ d.lnum, d.col }))
  check('E0502 message', d.message:find('cannot borrow `local` as mutable because it is also borrowed as immutable', 1, true) ~= nil, d.message)
  check('E0502 is an error', d.severity == vim.diagnostic.severity.ERROR)
end

-- 2. Inlay hints, turned on by the plugin.
check('inlay hints enabled by default', vim.lsp.inlay_hint.is_enabled({ bufnr = buf }))
local labels = {}
check('inlay hints shown', wait(function()
  labels = {}
  for _, it in ipairs(vim.lsp.inlay_hint.get({ bufnr = buf })) do
    local label = it.inlay_hint.label
    if type(label) == 'table' then
      label = table.concat(vim.tbl_map(function(part) return part.value end, label))
    end
    labels[#labels + 1] = label
  end
  return #labels >= 2
end))
local function has_label(text)
  for _, label in ipairs(labels) do
    if label:find(text, 1, true) then
      return true
    end
  end
  return false
end
check('inlay hint where `y` ends', has_label('y: &mut local ends'), vim.inspect(labels))
check('inlay hint where `x` ends', has_label('x: &local ends'), vim.inspect(labels))

-- 3. Hover on `x` in `let x = &local;` (line 4), as K shows it: a floating window.
vim.api.nvim_win_set_cursor(0, { 4, 8 })
local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
local answer = client:request_sync('textDocument/hover', params, TIMEOUT, buf)
local hover = answer and answer.result and answer.result.contents and answer.result.contents.value or ''
check('hover answers', hover:find('`x` holds a shared borrow `&local`', 1, true) ~= nil, hover)
check('hover shows the reborrow chain', hover:find('reborrow chain: `local ← x`', 1, true) ~= nil, hover)
vim.lsp.buf.hover()
local float_text = ''
check('hover float opens', wait(function()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      float_text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n')
      if float_text:find('live on lines 5', 1, true) then
        return true
      end
    end
  end
  return false
end), float_text)
for _, win in ipairs(vim.api.nvim_list_wins()) do
  if vim.api.nvim_win_get_config(win).relative ~= '' then
    vim.api.nvim_win_close(win, true)
  end
end

-- 4. Region highlights on CursorHold at `y.push_str(...)` (line 7): `y`'s &mut borrow and the
-- &local borrow held by `x`, both in the error.
vim.api.nvim_win_set_cursor(0, { 7, 4 })
vim.api.nvim_exec_autocmds('CursorHold', { buffer = buf })
local ns = require('borrowlens').namespace
local groups = {}
check('region extmarks drawn on CursorHold', wait(function()
  groups = {}
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
    groups[m[4].hl_group] = (groups[m[4].hl_group] or 0) + 1
    if m[4].hl_group == 'BorrowLensMutableBorrow' then
      groups.mutable_at = { m[2], m[3], m[4].end_row, m[4].end_col }
    end
  end
  return groups.BorrowLensMutableBorrow ~= nil and groups.BorrowLensSharedBorrow ~= nil
end), vim.inspect(groups))
check('mutable borrow highlighted on `&mut local`', vim.deep_equal(groups.mutable_at, { 5, 12, 5, 22 }), vim.inspect(groups.mutable_at))
check('conflicting borrows marked', (groups.BorrowLensConflict or 0) == 2, vim.inspect(groups))
check('live regions highlighted', groups.BorrowLensSharedRegion ~= nil and groups.BorrowLensMutableRegion ~= nil, vim.inspect(groups))
check('highlight groups link to defaults', vim.api.nvim_get_hl(0, { name = 'BorrowLensConflict' }).link == 'DiagnosticUnderlineError')
vim.api.nvim_win_set_cursor(0, { 2, 0 })
vim.api.nvim_exec_autocmds('CursorMoved', { buffer = buf })
check('highlights cleared when the cursor moves', #vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, {}) == 0)

-- 5. The preferred quick fix for the E0502, applied as `vim.lsp.buf.code_action` applies it.
if not client.server_capabilities.codeActionProvider then
  skip('quick fix', 'the server does not advertise codeActionProvider (code actions have not landed)')
else
  local e0502 = diagnostics('E0502')[1]
  vim.api.nvim_win_set_cursor(0, { e0502.lnum + 1, e0502.col })
  local range_params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  range_params.context = {
    diagnostics = vim.tbl_map(function(it) return it.user_data.lsp end, diagnostics('E0502')),
    only = { 'quickfix' },
  }
  local actions = client:request_sync('textDocument/codeAction', range_params, TIMEOUT, buf)
  local preferred
  for _, action in ipairs(actions and actions.result or {}) do
    local linked = vim.tbl_filter(function(it) return it.code == 'E0502' end, action.diagnostics or {})
    if action.kind == 'quickfix' and action.isPreferred and #linked > 0 then
      preferred = action
    end
  end
  check('a preferred quickfix is linked to the E0502', preferred ~= nil, vim.inspect(actions))
  if preferred then
    local before = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    vim.lsp.buf.code_action({
      context = { only = { 'quickfix' }, diagnostics = range_params.context.diagnostics },
      filter = function(action)
        return action.isPreferred == true and action.title == preferred.title
      end,
      apply = true,
    })
    check('the quick fix edits the buffer', wait(function()
      return not vim.deep_equal(before, vim.api.nvim_buf_get_lines(buf, 0, -1, false))
    end))
    check('the E0502 goes away', wait(function()
      return #diagnostics('E0502') == 0
    end), vim.inspect(diagnostics()))
    check('no borrowlens error left', #diagnostics() == 0, vim.inspect(diagnostics()))
  end
end

-- 6. Typing a second `&mut v` introduces an E0499, published without saving.
local last = vim.api.nvim_buf_line_count(buf) -- the closing brace of main
vim.api.nvim_buf_set_lines(buf, last - 1, last - 1, false, {
  '    let mut v = vec![1];',
  '    let a = &mut v;',
  '    a.push(2);',
})
vim.api.nvim_win_set_cursor(0, { last + 1, 0 })
-- Typed after `o`, indented by 'autoindent' as a user's typing would be.
vim.cmd('normal! olet b = &mut v;')
local b_line = last + 2 -- 1-based line of `let b`
local b_text = vim.api.nvim_buf_get_lines(buf, b_line - 1, b_line, false)[1]
local b_col = b_text:find('&mut v', 1, true) - 1
local e0499
check('E0499 appears after the edit', wait(function()
  e0499 = diagnostics('E0499')[1]
  return e0499 ~= nil
end), vim.inspect(diagnostics()))
if e0499 then
  check('E0499 on the new `&mut v`', e0499.lnum == b_line - 1 and e0499.col == b_col, vim.inspect({ e0499.lnum, e0499.col, b_line, b_text }))
  check('E0499 message', e0499.message == 'cannot borrow `v` as mutable more than once at a time', e0499.message)
end
check('the buffer was not written', vim.bo[buf].modified)

-- 7. The :BorrowLens commands.
local notes = {}
vim.notify = function(msg)
  notes[#notes + 1] = msg
end
-- At `a.push(2);`, where `a`'s &mut v is live (the quick fix may have moved the lines above).
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local push_line
for i, line in ipairs(lines) do
  if line:find('a.push(2);', 1, true) then
    push_line = i
  end
end
vim.api.nvim_win_set_cursor(0, { push_line, 4 })
vim.cmd('BorrowLens regions')
check(':BorrowLens regions lists the borrows at the cursor', wait(function()
  return table.concat(notes, '\n'):find('mutable borrow of `v` at ' .. (push_line - 2) .. ':13', 1, true) ~= nil
end), vim.inspect(notes))
check(':BorrowLens regions highlights them', #vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, {}) > 0)
notes = {}
vim.cmd('BorrowLens status')
check(':BorrowLens status', wait(function()
  return table.concat(notes, '\n'):find('1 open', 1, true) ~= nil
end), vim.inspect(notes))
local first_id = client.id
vim.cmd('BorrowLens restart')
local restarted
check(':BorrowLens restart starts a new server for the buffer', wait(function()
  restarted = vim.lsp.get_clients({ bufnr = buf, name = 'borrowlens' })[1]
  return restarted ~= nil and restarted.id ~= first_id and restarted.initialized
end))
check('diagnostics come back after the restart', wait(function()
  return #diagnostics('E0499') > 0
end), vim.inspect(diagnostics()))
vim.cmd('BorrowLens disable')
check(':BorrowLens disable stops the server', wait(function()
  return #vim.lsp.get_clients({ name = 'borrowlens' }) == 0
end))
vim.cmd('BorrowLens toggle')
check(':BorrowLens toggle enables it again', wait(function()
  local it = vim.lsp.get_clients({ bufnr = buf, name = 'borrowlens' })[1]
  return it ~= nil and it.initialized
end))

-- 8. :checkhealth borrowlens, read from the health buffer: healthy with the client attached,
-- then broken (a command that is not there, a command that is not a server).
local function checkhealth()
  vim.cmd('silent checkhealth borrowlens')
  local hbuf = vim.fn.bufnr('health://')
  local report = hbuf > 0 and vim.api.nvim_buf_get_lines(hbuf, 0, -1, false) or {}
  if vim.bo.filetype == 'checkhealth' then
    vim.cmd(#vim.api.nvim_list_tabpages() > 1 and 'tabclose' or 'enew')
  end
  return report, table.concat(report, '\n')
end
-- The index of the first report line with a status (`OK`, `WARNING`, `ERROR`) containing `text`.
local function find(report, status, text)
  for i, line in ipairs(report) do
    if line:find('^%- %S+ ' .. status .. ' ') and line:find(text, 1, true) then
      return i
    end
  end
end
local function count(report, status)
  return #vim.tbl_filter(function(line)
    return line:find('^%- %S+ ' .. status .. ' ') ~= nil
  end, report)
end
-- The `- ADVICE:` items under the report line `at`.
local function advice(report, at)
  local items = {}
  -- The item's own lines are indented: the next item, section or blank line ends it.
  for i = (at or #report) + 1, #report do
    if not report[i]:find('^  ') then
      break
    end
    items[#items + 1] = report[i]:match('^    %- (.*)')
  end
  return table.concat(items, '\n')
end

local version = vim.trim(vim.system({ binary, '--version' }, { text = true }):wait(5000).stdout or '')
local report, text = checkhealth()
check(':checkhealth borrowlens runs', text:find('Binary ~', 1, true) ~= nil, text)
check('health: OK for the Neovim version', find(report, 'OK', 'Neovim 0.11') ~= nil, text)
check('health: OK for the configured binary', find(report, 'OK', 'binary: ' .. binary .. ' (') ~= nil, text)
check('health: OK for its version, as `--version` prints it', version:find('^borrowlens ') ~= nil
  and find(report, 'OK', 'version: ' .. version) ~= nil, version .. '\n' .. text)
check('health: OK for initialize, with the server\'s name and version',
  find(report, 'OK', 'initialize answered in') ~= nil
  and report[find(report, 'OK', 'initialize answered in')]:find(': ' .. version .. '$') ~= nil, text)
check('health: the capabilities are listed', text:find('capabilities: hover, inlay hints', 1, true) ~= nil, text)
local exit_line = report[find(report, 'OK', 'shutdown and exit') or 0] or ''
local pid = tonumber(exit_line:match('pid (%d+)'))
check('health: OK for shutdown and exit', pid ~= nil, text)
check('health: the checked server is gone', pid ~= nil and vim.uv.kill(pid, 0) ~= 0, tostring(pid))
check('health: the attached buffer is listed', find(report, 'OK', 's002_shared_then_exclusive.rs') ~= nil, text)
check('health: the settings are listed', text:find('inlayHintsMode = "all"', 1, true) ~= nil, text)
check('health: no error and no warning', count(report, 'ERROR') == 0 and count(report, 'WARNING') == 0, text)
check('health: the client still works', #vim.lsp.get_clients({ bufnr = buf, name = 'borrowlens' }) == 1)

-- A command that is not there: the binary is an error, with advice, and nothing is started.
vim.cmd('BorrowLens disable')
wait(function()
  return #vim.lsp.get_clients({ name = 'borrowlens' }) == 0
end)
vim.cmd('bwipeout! ' .. buf)
local missing = workspace .. '/no-such-dir/borrowlens'
require('borrowlens').setup({ cmd = { missing, 'lsp' } })
report, text = checkhealth()
local at = find(report, 'ERROR', 'binary: ' .. missing .. ' not found')
check('health: ERROR for a missing binary', at ~= nil, text)
check('health: the advice says how to install it and how to set cmd',
  advice(report, at):find('cargo install --path server', 1, true) ~= nil
  and advice(report, at):find('cmd = {', 1, true) ~= nil, advice(report, at))
check('health: no OK for version or initialize without a binary',
  find(report, 'OK', 'version:') == nil and find(report, 'OK', 'initialize') == nil, text)
check('health: "none attached" when no client runs', text:find('- none attached', 1, true) ~= nil, text)

-- A command that runs but is not a language server: initialize is an error, with its stderr.
require('borrowlens').setup({ cmd = { 'sh', '-c', 'echo not a server >&2; exit 3' } })
report, text = checkhealth()
at = find(report, 'ERROR', 'initialize: the server exited (code 3) before answering')
check('health: ERROR when the server exits before answering initialize', at ~= nil, text)
check('health: the error shows the server\'s stderr', at ~= nil and report[at + 1]:find('not a server', 1, true) ~= nil, text)
check('health: the advice points at `borrowlens lsp` and :LspLog', advice(report, at):find('borrowlens lsp', 1, true) ~= nil
  and advice(report, at):find(':LspLog', 1, true) ~= nil, advice(report, at))

finish()
