--- borrowlens for Neovim: starts the `borrowlens` language server for Rust buffers (alongside
--- rust-analyzer), turns inlay hints on, and highlights the live regions of the borrows at the
--- cursor with extmarks on CursorHold, from the server's `borrowlens/regions` request.
---
--- Neovim 0.11+: `vim.lsp.config('borrowlens', ...)` + `vim.lsp.enable('borrowlens')`.
--- Neovim 0.10: a FileType autocommand that calls `vim.lsp.start`.

local M = {}

local NAME = 'borrowlens'

--- @class borrowlens.Settings What the server reads (the root README's settings table).
--- @field diagnostics? boolean Report borrow-check errors (default true).
--- @field inlayHints? boolean Serve inlay hints (default true).
--- @field hover? boolean Serve hover (default true).
--- @field inlayHintsMode? 'all'|'conflicting' Which borrows get hints (default 'all').

--- @class borrowlens.Options
--- @field cmd? string[] How to start the server (default `{ 'borrowlens', 'lsp' }`, from PATH).
--- @field filetypes? string[] Where to start it (default `{ 'rust' }`).
--- @field root_markers? string[] What marks a project's root (default `{ 'Cargo.toml', '.git' }`).
--- @field settings? borrowlens.Settings The server's settings.
--- @field inlay_hints? boolean Show inlay hints in attached buffers (default true).
--- @field regions? { enabled?: boolean } Highlight borrow regions on CursorHold (default true).
--- @field capabilities? table Client capabilities, merged over Neovim's.
--- @field on_attach? fun(client: vim.lsp.Client, bufnr: integer) Called when a buffer attaches.

--- @type borrowlens.Options
local defaults = {
  cmd = { 'borrowlens', 'lsp' },
  filetypes = { 'rust' },
  root_markers = { 'Cargo.toml', '.git' },
  settings = { diagnostics = true, inlayHints = true, hover = true, inlayHintsMode = 'all' },
  inlay_hints = true,
  regions = { enabled = true },
}

--- The options in force, after `setup`.
--- @type borrowlens.Options
M.options = vim.deepcopy(defaults)

local ns = vim.api.nvim_create_namespace('borrowlens_regions')
M.namespace = ns

--- Whether `setup` ran and borrowlens is enabled for new buffers.
local enabled = false
local configured = false
local augroup = vim.api.nvim_create_augroup('borrowlens', { clear = true })

local has_config = vim.fn.has('nvim-0.11') == 1

--- The highlight groups and the groups they link to unless a colour scheme sets them.
M.highlights = {
  BorrowLensSharedBorrow = 'LspReferenceRead',
  BorrowLensMutableBorrow = 'LspReferenceWrite',
  BorrowLensSharedRegion = 'DiffChange',
  BorrowLensMutableRegion = 'DiffText',
  BorrowLensConflict = 'DiagnosticUnderlineError',
}

function M.define_highlights()
  for group, link in pairs(M.highlights) do
    vim.api.nvim_set_hl(0, group, { link = link, default = true })
  end
end

local function clients(bufnr)
  return vim.lsp.get_clients({ name = NAME, bufnr = bufnr })
end

--- Calls a client's method: `client:method(...)` on 0.11, where methods live in the class and
--- the dotted form is deprecated, and `client.method(...)` on 0.10, whose clients carry
--- closures over themselves as fields.
local function call(client, method, ...)
  if rawget(client, method) ~= nil then
    return client[method](...)
  end
  return client[method](client, ...)
end

local function client_config()
  local o = M.options
  local settings = { borrowlens = o.settings }
  return {
    cmd = o.cmd,
    filetypes = o.filetypes,
    root_markers = o.root_markers,
    settings = settings,
    init_options = settings,
    capabilities = o.capabilities,
  }
end

--- Neovim 0.10: start (or reuse) a client for a buffer, as `vim.lsp.enable` does on 0.11.
local function start_legacy(bufnr)
  if not enabled or not vim.tbl_contains(M.options.filetypes, vim.bo[bufnr].filetype) then
    return
  end
  if vim.bo[bufnr].buftype ~= '' then
    return
  end
  local config = client_config()
  config.name = NAME
  config.root_dir = vim.fs.root(bufnr, M.options.root_markers)
  config.filetypes = nil
  config.root_markers = nil
  config.capabilities = vim.tbl_deep_extend(
    'force',
    vim.lsp.protocol.make_client_capabilities(),
    M.options.capabilities or {}
  )
  vim.lsp.start(config, { bufnr = bufnr })
end

--- LSP position -> byte column of `bufnr`'s line, in the client's position encoding.
local function byte_col(bufnr, position, encoding)
  if encoding == 'utf-8' then
    return position.character
  end
  local line = vim.api.nvim_buf_get_lines(bufnr, position.line, position.line + 1, false)[1] or ''
  local ok, col
  if has_config then
    ok, col = pcall(vim.str_byteindex, line, encoding, position.character, false)
  else
    ok, col = pcall(vim.str_byteindex, line, position.character, encoding == 'utf-16')
  end
  return ok and col or #line
end

local function mark(bufnr, range, encoding, group, priority)
  local start_col = byte_col(bufnr, range.start, encoding)
  local end_col = byte_col(bufnr, range['end'], encoding)
  pcall(vim.api.nvim_buf_set_extmark, bufnr, ns, range.start.line, start_col, {
    end_row = range['end'].line,
    end_col = end_col,
    hl_group = group,
    priority = priority,
    strict = false,
  })
end

--- Draws `regions` (the answer of `borrowlens/regions`) in `bufnr`.
--- @param regions table[]
function M.draw(bufnr, regions, encoding)
  vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
  for _, region in ipairs(regions or {}) do
    local shared = region.kind == 'shared'
    for _, range in ipairs(region.live or {}) do
      mark(bufnr, range, encoding, shared and 'BorrowLensSharedRegion' or 'BorrowLensMutableRegion', 150)
    end
    mark(bufnr, region.borrow, encoding, shared and 'BorrowLensSharedBorrow' or 'BorrowLensMutableBorrow', 160)
    if region.conflicting then
      mark(bufnr, region.borrow, encoding, 'BorrowLensConflict', 170)
    end
  end
end

function M.clear(bufnr)
  vim.api.nvim_buf_clear_namespace(bufnr or 0, ns, 0, -1)
end

--- The latest request per buffer, so that a late answer never draws over a newer one.
local generation = {}

--- Asks the server for the borrows live at the cursor of the current window (showing `bufnr`)
--- and draws them; `callback(regions)` gets the answer, or nil when there was none.
--- @param bufnr? integer
--- @param callback? fun(regions: table[]|nil)
function M.regions(bufnr, callback)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = clients(bufnr)[1]
  if not client then
    if callback then
      callback(nil)
    end
    return
  end
  local encoding = client.offset_encoding or 'utf-16'
  local win = vim.fn.bufwinid(bufnr)
  local params = vim.lsp.util.make_position_params(win ~= -1 and win or 0, encoding)
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  generation[bufnr] = (generation[bufnr] or 0) + 1
  local mine = generation[bufnr]
  local function handler(err, result)
    local fresh = generation[bufnr] == mine
      and vim.api.nvim_buf_is_valid(bufnr)
      and vim.api.nvim_buf_get_changedtick(bufnr) == tick
    if err or not fresh then
      if callback then
        callback(nil)
      end
      return
    end
    M.draw(bufnr, result or {}, encoding)
    if callback then
      callback(result or {})
    end
  end
  call(client, 'request', 'borrowlens/regions', params, handler, bufnr)
end

local function describe_regions(regions)
  if not regions or #regions == 0 then
    return 'borrowlens: no borrow is live here'
  end
  local lines = {}
  for _, r in ipairs(regions) do
    local first, last = math.huge, -1
    for _, range in ipairs(r.live or {}) do
      first = math.min(first, range.start.line + 1)
      last = math.max(last, range['end'].line + 1)
    end
    local live = last < 0 and 'nowhere'
      or (first == last and ('line ' .. first) or ('lines ' .. first .. '–' .. last))
    table.insert(
      lines,
      string.format(
        '%s borrow of `%s` at %d:%d, live on %s%s',
        r.kind,
        r.place,
        r.borrow.start.line + 1,
        r.borrow.start.character + 1,
        live,
        r.conflicting and ' (in a borrow-check error)' or ''
      )
    )
  end
  return table.concat(lines, '\n')
end

local function attach(client, bufnr)
  if M.options.inlay_hints and vim.lsp.inlay_hint then
    vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
  end
  local group = vim.api.nvim_create_augroup('borrowlens_buf_' .. bufnr, { clear = true })
  if M.options.regions.enabled ~= false then
    vim.api.nvim_create_autocmd({ 'CursorHold', 'CursorHoldI' }, {
      group = group,
      buffer = bufnr,
      desc = 'borrowlens: highlight the borrows live at the cursor',
      callback = function()
        M.regions(bufnr)
      end,
    })
    vim.api.nvim_create_autocmd({ 'CursorMoved', 'CursorMovedI', 'TextChanged', 'TextChangedI', 'BufLeave' }, {
      group = group,
      buffer = bufnr,
      desc = 'borrowlens: clear borrow highlights until the cursor rests again',
      callback = function()
        M.clear(bufnr)
      end,
    })
  end
  vim.api.nvim_create_autocmd('LspDetach', {
    group = group,
    buffer = bufnr,
    callback = function(args)
      if args.data and args.data.client_id == client.id then
        M.clear(bufnr)
        pcall(vim.api.nvim_del_augroup_by_id, group)
      end
    end,
  })
  if M.options.on_attach then
    M.options.on_attach(client, bufnr)
  end
end

--- Turns borrowlens on for Rust buffers (those open now and those to come).
function M.enable()
  enabled = true
  if has_config then
    vim.lsp.enable(NAME)
    -- vim.lsp.enable re-checks the open buffers only after VimEnter (not in `nvim -l`, nor
    -- from an init file before it): do it here then.
    for _, bufnr in ipairs(vim.v.vim_did_enter == 1 and {} or vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.options.filetypes, vim.bo[bufnr].filetype) then
        vim.api.nvim_exec_autocmds('FileType', { group = 'nvim.lsp.enable', buffer = bufnr, modeline = false })
      end
    end
  else
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) then
        start_legacy(bufnr)
      end
    end
  end
end

--- Turns borrowlens off: stops its clients and clears its highlights.
function M.disable()
  enabled = false
  if has_config then
    vim.lsp.enable(NAME, false)
  end
  for _, client in ipairs(vim.lsp.get_clients({ name = NAME })) do
    for bufnr in pairs(client.attached_buffers or {}) do
      M.clear(bufnr)
    end
    call(client, 'stop')
  end
end

function M.is_enabled()
  return enabled
end

--- Whether `setup` ran (`:checkhealth borrowlens` reports it).
function M.is_configured()
  return configured
end

function M.toggle()
  if enabled then
    M.disable()
  else
    M.enable()
  end
end

--- Stops the running servers and starts new ones for the same buffers.
function M.restart()
  local old = vim.lsp.get_clients({ name = NAME })
  M.disable()
  vim.wait(3000, function()
    for _, client in ipairs(old) do
      if not call(client, 'is_stopped') then
        return false
      end
    end
    return true
  end, 20)
  M.enable()
end

--- Shows the borrows live at the cursor (and highlights them).
function M.show_regions()
  M.regions(0, function(regions)
    if regions == nil then
      vim.notify('borrowlens: no answer (is the server attached to this buffer?)', vim.log.levels.WARN)
    else
      vim.notify(describe_regions(regions), vim.log.levels.INFO)
    end
  end)
end

--- Shows what the server holds (`borrowlens/status`).
function M.status()
  local client = vim.lsp.get_clients({ name = NAME })[1]
  if not client then
    vim.notify('borrowlens: not running' .. (enabled and '' or ' (disabled)'), vim.log.levels.INFO)
    return
  end
  local function handler(err, result)
    if err or not result then
      vim.notify('borrowlens: no status: ' .. vim.inspect(err), vim.log.levels.WARN)
      return
    end
    vim.notify(
      string.format(
        'borrowlens %s: %d Rust files known, %d open, roots: %s',
        client.server_info and client.server_info.version or '',
        #result.files,
        #result.open,
        table.concat(result.roots, ', ')
      ),
      vim.log.levels.INFO
    )
  end
  call(client, 'request', 'borrowlens/status', nil, handler)
end

M.subcommands = {
  enable = M.enable,
  disable = M.disable,
  toggle = M.toggle,
  regions = M.show_regions,
  restart = M.restart,
  status = M.status,
}

--- `:BorrowLens {subcommand}`.
function M.command(args)
  local name = args.fargs[1] or 'status'
  local run = M.subcommands[name]
  if not run then
    vim.notify('borrowlens: unknown subcommand `' .. name .. '`', vim.log.levels.ERROR)
    return
  end
  if not configured and name ~= 'status' then
    -- Commands work before setup(), with the defaults: setup() enables borrowlens.
    M.setup()
    if name == 'enable' then
      return
    end
  end
  run()
end

--- Configures borrowlens and enables it for Rust buffers.
--- @param opts? borrowlens.Options
function M.setup(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  if opts and opts.cmd then
    M.options.cmd = opts.cmd
  end
  configured = true
  M.define_highlights()
  vim.api.nvim_clear_autocmds({ group = augroup })
  vim.api.nvim_create_autocmd('ColorScheme', {
    group = augroup,
    callback = M.define_highlights,
  })
  vim.api.nvim_create_autocmd('LspAttach', {
    group = augroup,
    callback = function(args)
      local client = vim.lsp.get_client_by_id(args.data.client_id)
      if client and client.name == NAME then
        attach(client, args.buf)
      end
    end,
  })
  if has_config then
    vim.lsp.config(NAME, client_config())
  else
    vim.api.nvim_create_autocmd('FileType', {
      group = augroup,
      pattern = M.options.filetypes,
      callback = function(args)
        start_legacy(args.buf)
      end,
    })
  end
  M.enable()
end

return M
