--- `:checkhealth borrowlens`: the Neovim version, the server binary (which one, its version),
--- a real `initialize` handshake with it (then shutdown and exit), the clients attached to
--- buffers, and the settings in effect.

local M = {}

local NAME = 'borrowlens'
--- How long `borrowlens --version` may take, in milliseconds.
local VERSION_TIMEOUT = 3000
--- How long the server may take to answer `initialize`, in milliseconds.
local INITIALIZE_TIMEOUT = 5000
--- How long it may take to answer `shutdown`, and then to exit after `exit`.
local SHUTDOWN_TIMEOUT = 2000

-- vim.health.start/ok/... are 0.10's names; 0.8 and 0.9 had vim.health.report_start/...,
-- 0.7 require('health').report_start/...: enough to say that Neovim is too old.
local health = vim.health
if not (health and (health.start or health.report_start)) then
  local found, module = pcall(require, 'health')
  health = found and type(module) == 'table' and module or {}
end
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local info = health.info or health.report_info
local warn = health.warn or health.report_warn
local fail = health.error or health.report_error

local INSTALL = 'Install it: `cargo install --path server` in the borrowlens repository, with '
  .. '`~/.cargo/bin` on $PATH'
local SET_CMD = "Set `cmd` to the binary's path: `require('borrowlens').setup({ cmd = { '/path/to/borrowlens', 'lsp' } })`"
local FROM_CONFIG = "`vim.lsp.config('borrowlens')`, which overrides the plugin's `cmd` option"

--- One line: `{ 'borrowlens', 'lsp' }`.
local function show(value)
  return vim.inspect(value, { newline = ' ', indent = '' })
end

--- The last lines of a process's stderr, for a report.
local function tail(text, lines)
  local all = vim.split(vim.trim(text or ''), '\n', { plain = true, trimempty = true })
  return table.concat(all, '\n', math.max(1, #all - (lines or 5) + 1))
end

local function log_advice()
  local path = vim.lsp.get_log_path and vim.lsp.get_log_path() or nil
  return '`:LspLog` shows what Neovim logged when it started the server'
    .. (path and (' (' .. path .. ')') or '')
end

local function version_string()
  local v = vim.version()
  local s = string.format('%d.%d.%d', v.major, v.minor, v.patch)
  if v.prerelease then
    s = s .. '-' .. (type(v.prerelease) == 'string' and v.prerelease or 'dev')
  end
  return s
end

--- @return boolean whether the rest of the checks can run
local function check_neovim()
  start('Neovim')
  local version = version_string()
  if vim.fn.has('nvim-0.11') == 1 then
    ok('Neovim ' .. version .. ': `vim.lsp.config` and `vim.lsp.enable`')
  elseif vim.fn.has('nvim-0.10') == 1 then
    warn(
      'Neovim ' .. version .. ': borrowlens works through `vim.lsp.start`, but 0.11 is preferred',
      { 'Upgrade to Neovim 0.11 or later: `vim.lsp.config`, `vim.lsp.enable` and the LSP defaults (`gra`, `grr`, ...)' }
    )
  else
    fail(
      'Neovim ' .. version .. ' is too old: borrowlens needs 0.10 or later (0.11 preferred)',
      { 'Upgrade Neovim to 0.11 or later' }
    )
    return false
  end
  return true
end

--- The command that starts the server and where it comes from: `vim.lsp.config('borrowlens')`
--- on 0.11 (what `vim.lsp.enable` will run), else the plugin's options.
local function command(plugin)
  local source = plugin.is_configured() and 'the `cmd` option of setup()' or 'the default; setup() not called'
  if vim.fn.has('nvim-0.11') == 1 then
    local found, config = pcall(function()
      return vim.lsp.config[NAME]
    end)
    if found and config and config.cmd ~= nil and not vim.deep_equal(config.cmd, plugin.options.cmd) then
      return config.cmd, FROM_CONFIG
    end
  end
  return plugin.options.cmd, source
end

--- Finds the executable of `cmd`: a path when `cmd[1]` has a slash, else a name looked up on
--- $PATH. Reports what it found; returns the executable's path or nil.
local function check_binary(cmd, source)
  start('Binary')
  if type(cmd) == 'function' then
    info('`cmd` is a function, from ' .. source .. ': the binary and the server cannot be checked from here')
    return nil
  end
  if type(cmd) ~= 'table' or type(cmd[1]) ~= 'string' or cmd[1] == '' then
    fail('`cmd` is not a list of strings: ' .. show(cmd) .. ', from ' .. source, {
      "Set it like `cmd = { 'borrowlens', 'lsp' }`",
    })
    return nil
  end
  local name = cmd[1]
  info('command: `' .. table.concat(cmd, ' ') .. '`, from ' .. source)
  local set_cmd = source == FROM_CONFIG and "Fix `cmd` in your `vim.lsp.config('borrowlens', {...})`" or SET_CMD
  if name:find('/', 1, true) then
    local advice = { set_cmd, INSTALL }
    if name:match('^~') or name:find('$', 1, true) then
      table.insert(advice, 1, 'The command is run without a shell: expand `~` and `$VARS` yourself, '
        .. "e.g. `vim.fn.expand('" .. name .. "')`")
    end
    local stat = vim.uv.fs_stat(name)
    if not stat then
      fail('binary: ' .. name .. ' not found', advice)
      return nil
    end
    if stat.type == 'directory' then
      fail('binary: ' .. name .. ' is a directory', advice)
      return nil
    end
    if vim.fn.executable(name) ~= 1 then
      fail('binary: ' .. name .. ' is not executable', { '`chmod +x ' .. name .. '`', unpack(advice) })
      return nil
    end
    ok('binary: ' .. name .. ' (the configured path)')
    return name
  end
  local path = vim.fn.exepath(name)
  if path == '' then
    local advice = { INSTALL, set_cmd }
    local cargo = vim.fs.joinpath(vim.uv.os_homedir() or '~', '.cargo', 'bin', name)
    if vim.fn.executable(cargo) == 1 then
      table.insert(advice, 1, cargo .. ' exists but `~/.cargo/bin` is not on the $PATH Neovim sees: '
        .. 'add it to $PATH, or set `cmd` to that path')
    end
    fail('binary: `' .. name .. '` not found on $PATH', advice)
    return nil
  end
  ok('binary: ' .. path .. ' (`' .. name .. '` on $PATH)')
  return path
end

--- Runs `path --version`; returns the version it printed, or nil.
local function check_version(path)
  local started, process = pcall(vim.system, { path, '--version' }, { text = true })
  if not started then
    fail('version: `' .. path .. ' --version` did not start: ' .. tostring(process), { INSTALL })
    return nil
  end
  local result = process:wait(VERSION_TIMEOUT)
  local printed = vim.trim(result.stdout or '')
  if result.code == 124 or result.signal == 9 then
    fail('version: `' .. path .. ' --version` did not finish within ' .. VERSION_TIMEOUT .. ' ms',
      { 'Is this borrowlens? ' .. INSTALL })
    return nil
  end
  if result.code ~= 0 then
    fail(
      'version: `' .. path .. ' --version` failed (exit code ' .. result.code .. ')'
        .. (tail(result.stderr) ~= '' and (':\n' .. tail(result.stderr)) or ''),
      { 'Is `cmd` the borrowlens binary? ' .. INSTALL, SET_CMD }
    )
    return nil
  end
  local version = printed:match('^borrowlens%s+(%S+)')
  if not version then
    local first = vim.split(printed, '\n', { plain = true })[1]
    warn('version: `' .. path .. ' --version` printed `' .. first .. '`, not `borrowlens X.Y.Z`',
      { 'Is `cmd` the borrowlens binary? ' .. INSTALL, SET_CMD })
    return nil
  end
  ok('version: borrowlens ' .. version)
  return version
end

--- Reads Content-Length framed messages from a growing string.
local function reader()
  local pending = ''
  local self = {}
  function self.feed(data)
    pending = pending .. data
  end
  --- The next whole message, decoded, or nil.
  function self.next()
    local header_end = pending:find('\r\n\r\n', 1, true)
    if not header_end then
      return nil
    end
    local length = tonumber(pending:sub(1, header_end):lower():match('content%-length:%s*(%d+)'))
    if not length then
      -- Not LSP: drop what came so far so that the caller times out or sees the exit.
      pending = ''
      return nil, 'a header without Content-Length'
    end
    local body_start = header_end + 4
    if #pending < body_start + length - 1 then
      return nil
    end
    local body = pending:sub(body_start, body_start + length - 1)
    pending = pending:sub(body_start + length)
    local decoded, message = pcall(vim.json.decode, body, { luanil = { object = true, array = true } })
    if not decoded then
      return nil, 'a body that is not JSON: ' .. body:sub(1, 200)
    end
    return message
  end
  return self
end

local function frame(message)
  local body = vim.json.encode(message)
  return 'Content-Length: ' .. #body .. '\r\n\r\n' .. body
end

--- What the server says it serves, in a few words.
local function describe_capabilities(caps)
  local parts = {}
  local function add(present, text)
    if present ~= nil and present ~= false then
      parts[#parts + 1] = text
    end
  end
  add(caps.hoverProvider, 'hover')
  add(caps.inlayHintProvider, 'inlay hints')
  if type(caps.codeActionProvider) == 'table' and caps.codeActionProvider.codeActionKinds then
    parts[#parts + 1] = 'code actions (' .. table.concat(caps.codeActionProvider.codeActionKinds, ', ') .. ')'
  else
    add(caps.codeActionProvider, 'code actions')
  end
  local sync = caps.textDocumentSync
  local change = type(sync) == 'table' and sync.change or sync
  add(change, ({ [0] = 'no text sync', [1] = 'full text sync', [2] = 'incremental text sync' })[change or -1])
  add(caps.positionEncoding, 'position encoding ' .. tostring(caps.positionEncoding))
  add(vim.tbl_get(caps, 'workspace', 'workspaceFolders', 'supported'), 'workspace folders')
  return #parts > 0 and table.concat(parts, ', ') or 'none'
end

--- What the client sends as `initializationOptions`: `vim.lsp.config('borrowlens')`'s on 0.11
--- (where it may have been changed after setup), else the plugin's settings.
local function init_options(plugin)
  if vim.fn.has('nvim-0.11') == 1 then
    local found, config = pcall(function()
      return vim.lsp.config[NAME]
    end)
    if found and config and config.init_options ~= nil then
      return config.init_options
    end
  end
  return { [NAME] = plugin.options.settings }
end

--- Starts the server, sends `initialize` (then `initialized`, `shutdown` and `exit`) and reports
--- what it answered and that the process went away.
--- @return table|nil the initialize result
local function check_initialize(cmd, plugin)
  start('Server')
  local reading = reader()
  local stderr = ''
  local started, process = pcall(vim.system, cmd, {
    stdin = true,
    stdout = function(_, data)
      if data then
        reading.feed(data)
      end
    end,
    stderr = function(_, data)
      if data then
        stderr = stderr .. data
      end
    end,
  })
  if not started then
    fail('`' .. table.concat(cmd, ' ') .. '` did not start: ' .. tostring(process), { INSTALL, SET_CMD })
    return nil
  end
  local pid = process.pid
  local responses, problem = {}, nil

  local function send(message)
    return pcall(process.write, process, frame(message))
  end
  -- Takes the whole messages read so far: answers the server's requests, keeps the responses.
  local function drain()
    while true do
      local message, err = reading.next()
      if err then
        problem = problem or err
      end
      if not message then
        return
      end
      if message.id ~= nil and message.method ~= nil then
        -- A request from the server: answer it as a client without capabilities would.
        local result = vim.NIL
        if message.method == 'workspace/configuration' then
          result = vim.tbl_map(function()
            return vim.NIL
          end, vim.tbl_get(message, 'params', 'items') or {})
        end
        send({ jsonrpc = '2.0', id = message.id, result = result })
      elseif message.id ~= nil then
        responses[message.id] = message
      end
    end
  end
  -- Pumps the event loop until the response to `id` comes, the process exits or time runs out.
  local function await(id, timeout)
    vim.wait(timeout, function()
      drain()
      return responses[id] ~= nil or process:is_closing()
    end, 10)
    if responses[id] == nil and process:is_closing() then
      -- Exited: what it wrote before exiting may still be in the pipe.
      process:wait(SHUTDOWN_TIMEOUT)
      drain()
    end
    return responses[id]
  end
  local function stop()
    pcall(process.write, process, nil)
    if not process:is_closing() then
      process:kill(9)
    end
    process:wait(SHUTDOWN_TIMEOUT)
  end
  local function stderr_text()
    local text = tail(stderr)
    return text ~= '' and (':\n' .. text) or ''
  end

  local began = vim.uv.hrtime()
  send({
    jsonrpc = '2.0',
    id = 1,
    method = 'initialize',
    params = {
      processId = vim.uv.os_getpid(),
      clientInfo = { name = 'Neovim :checkhealth borrowlens', version = version_string() },
      rootUri = vim.NIL,
      workspaceFolders = vim.NIL,
      capabilities = vim.empty_dict(),
      initializationOptions = init_options(plugin),
    },
  })
  local answer = await(1, INITIALIZE_TIMEOUT)
  local elapsed = math.floor((vim.uv.hrtime() - began) / 1e6)
  if not answer then
    local advice = {
      'Check that `' .. table.concat(cmd, ' ') .. '` starts the language server on stdio (`borrowlens lsp`)',
      log_advice(),
      INSTALL,
    }
    if process:is_closing() then
      local result = process:wait(SHUTDOWN_TIMEOUT)
      fail(string.format('initialize: the server exited (code %s) before answering%s%s',
        tostring(result and result.code), problem and (' after ' .. problem) or '', stderr_text()), advice)
    else
      stop()
      fail(string.format('initialize: no answer within %d ms%s%s (the process was killed)',
        INITIALIZE_TIMEOUT, problem and (' (it sent ' .. problem .. ')') or '', stderr_text()), advice)
    end
    return nil
  end
  if answer.error then
    stop()
    fail('initialize: the server answered with an error: ' .. show(answer.error) .. stderr_text(),
      { log_advice(), 'Check the settings below: they go to the server as `initializationOptions`' })
    return nil
  end
  if type(answer.result) ~= 'table' then
    stop()
    fail('initialize: the answer has no InitializeResult: ' .. show(answer.result) .. stderr_text(), {
      'Check that `' .. table.concat(cmd, ' ') .. '` starts the language server on stdio (`borrowlens lsp`)',
      INSTALL,
    })
    return nil
  end
  local result = answer.result
  local server = result.serverInfo or {}
  ok(string.format('initialize answered in %d ms: %s %s', elapsed, server.name or '(no serverInfo)', server.version or ''))
  info('capabilities: ' .. describe_capabilities(result.capabilities or {}))

  -- The polite end: initialized, shutdown (answered), exit; then the process must be gone.
  send({ jsonrpc = '2.0', method = 'initialized', params = vim.empty_dict() })
  send({ jsonrpc = '2.0', id = 2, method = 'shutdown' })
  local shutdown = await(2, SHUTDOWN_TIMEOUT)
  send({ jsonrpc = '2.0', method = 'exit' })
  pcall(process.write, process, nil)
  local exited = process:wait(SHUTDOWN_TIMEOUT)
  local alive = vim.uv.kill(pid, 0) == 0
  if not shutdown or shutdown.error then
    warn('shutdown: ' .. (shutdown and ('error ' .. show(shutdown.error)) or ('no answer within ' .. SHUTDOWN_TIMEOUT .. ' ms')),
      { log_advice() })
  end
  if alive then
    process:kill(9)
    fail(string.format('exit: the server (pid %d) is still running after `exit`', pid), { log_advice() })
  elseif exited and exited.signal == 9 then
    warn(string.format('exit: the server (pid %d) did not exit within %d ms after `exit`: killed', pid,
      SHUTDOWN_TIMEOUT), { log_advice() })
  elseif exited and exited.code == 0 and exited.signal == 0 then
    ok(string.format('shutdown and exit: the server (pid %d) exited with code 0', pid))
  else
    warn(string.format('exit: the server (pid %d) did not exit cleanly (code %s, signal %s)%s', pid,
      tostring(exited and exited.code), tostring(exited and exited.signal), stderr_text()), { log_advice() })
  end
  return result
end

local function buffer_name(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  return string.format('%d (%s)', bufnr, name ~= '' and vim.fn.fnamemodify(name, ':~:.') or '[No Name]')
end

local function check_clients(plugin)
  start('Clients')
  local clients = vim.lsp.get_clients({ name = NAME })
  local attached = {}
  for _, client in ipairs(clients) do
    local buffers = {}
    for bufnr in vim.spairs(client.attached_buffers or {}) do
      attached[bufnr] = true
      buffers[#buffers + 1] = buffer_name(bufnr)
    end
    local server = client.server_info or {}
    local stopped = client.is_stopped and (rawget(client, 'is_stopped') and client.is_stopped() or client:is_stopped())
    local text = string.format('client %d (%s %s), root %s: %s', client.id, server.name or NAME,
      server.version or '?', client.root_dir or '(none)',
      #buffers > 0 and ('buffers ' .. table.concat(buffers, ', ')) or 'no buffer attached')
    if stopped then
      warn(text .. ': stopped', { log_advice(), '`:BorrowLens restart`' })
    elseif not client.initialized then
      warn(text .. ': not initialized yet', { log_advice() })
    else
      ok(text)
    end
  end
  if #clients == 0 then
    info('none attached: no borrowlens client is running')
  end
  if not plugin.is_enabled() then
    return
  end
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr)
      and vim.bo[bufnr].buftype == ''
      and vim.tbl_contains(plugin.options.filetypes or {}, vim.bo[bufnr].filetype)
      and not attached[bufnr]
    then
      warn('buffer ' .. buffer_name(bufnr) .. ' is ' .. vim.bo[bufnr].filetype .. ' but borrowlens is not attached to it', {
        log_advice(),
        '`:BorrowLens restart` starts the server again for the open buffers',
      })
    end
  end
end

local function check_settings(plugin)
  start('Settings')
  local o = plugin.options
  if not plugin.is_configured() then
    warn("setup() has not been called: borrowlens does not start for Rust buffers", {
      "Call `require('borrowlens').setup()` in your init.lua (lazy.nvim: `opts = {}`), or run `:BorrowLens enable`",
    })
  elseif not plugin.is_enabled() then
    info('disabled (`:BorrowLens disable`): `:BorrowLens enable` turns it on again')
  else
    ok('setup() called; enabled for ' .. table.concat(o.filetypes or {}, ', ') .. ' buffers')
  end
  info('cmd = ' .. (type(o.cmd) == 'function' and '(a function)' or show(o.cmd)))
  info('filetypes = ' .. show(o.filetypes))
  info('root_markers = ' .. show(o.root_markers))
  info('settings = ' .. show(o.settings))
  info('inlay_hints = ' .. tostring(o.inlay_hints))
  info('regions = ' .. show(o.regions))
  info('capabilities = ' .. (o.capabilities and show(o.capabilities) or 'nil (Neovim\'s)'))
  info('on_attach = ' .. (o.on_attach and 'a function' or 'nil'))
  local mode = o.settings and o.settings.inlayHintsMode
  if mode ~= nil and mode ~= 'all' and mode ~= 'conflicting' then
    warn('settings.inlayHintsMode = ' .. show(mode) .. ' is neither `all` nor `conflicting`',
      { "Set `settings = { inlayHintsMode = 'all' }` or `'conflicting'`" })
  end
  if vim.fn.has('nvim-0.11') == 1 and plugin.is_configured() then
    local found, config = pcall(function()
      return vim.lsp.config[NAME]
    end)
    if found and config then
      for _, key in ipairs({ 'cmd', 'filetypes', 'root_markers' }) do
        if config[key] ~= nil and not vim.deep_equal(config[key], o[key]) then
          info("vim.lsp.config('borrowlens') overrides " .. key .. ' = '
            .. (type(config[key]) == 'function' and '(a function)' or show(config[key])))
        end
      end
      local settings = vim.tbl_get(config, 'settings', NAME)
      if settings ~= nil and not vim.deep_equal(settings, o.settings) then
        info("vim.lsp.config('borrowlens') overrides settings = " .. show(settings))
      end
    end
  end
end

function M.check()
  if not check_neovim() then
    return
  end
  local plugin = require('borrowlens')
  local cmd, source = command(plugin)
  local path = check_binary(cmd, source)
  local version
  if path then
    version = check_version(path)
  end
  if path then
    local resolved = vim.list_extend({ path }, vim.list_slice(cmd, 2))
    local result = check_initialize(resolved, plugin)
    local server_version = result and vim.tbl_get(result, 'serverInfo', 'version')
    if version and server_version and server_version ~= version then
      warn('the server says it is ' .. server_version .. ' but `--version` printed ' .. version)
    end
    if result and plugin.options.inlay_hints and not vim.tbl_get(result, 'capabilities', 'inlayHintProvider') then
      warn('`inlay_hints` is on but the server does not serve inlay hints',
        { 'Check `settings.inlayHints` (true by default)' })
    end
  else
    start('Server')
    info(type(cmd) == 'function' and 'not started: `cmd` is a function' or 'not started: no binary (above)')
  end
  check_clients(plugin)
  check_settings(plugin)
end

return M
