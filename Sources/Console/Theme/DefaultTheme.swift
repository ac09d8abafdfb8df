// Generated from themes/default.toml; ThemeTests checks that the two stay equal.
/// The text of `themes/default.toml`.
let defaultThemeTOML = #"""
# default: for dark terminals. The terminal's own background shows through (bg = "default").
# Colours: a palette name, an ANSI name (black red green yellow blue magenta cyan white),
# "default", or 0…255. Palette entries give an 8-colour name (c8) and a 256-colour index (c256).
name = "default"

[palette]
accent = { c8 = "cyan", c256 = 75 }
muted = { c8 = "white", c256 = 245 }
ok = { c8 = "green", c256 = 114 }
warn = { c8 = "yellow", c256 = 221 }
bad = { c8 = "red", c256 = 203 }
selbg = { c8 = "blue", c256 = 24 }

[roles.text]
fg = "default"

[roles.header]
fg = "default"
attrs = ["bold"]

[roles.header_label]
fg = "accent"

[roles.title]
fg = "accent"
attrs = ["bold"]

[roles.border]
fg = "muted"

[roles.table_header]
fg = "accent"
attrs = ["bold", "underline"]

[roles.selected]
fg = "white"
bg = "selbg"
attrs = ["bold"]

[roles.footer_key]
fg = "accent"
attrs = ["bold"]

[roles.footer_text]
fg = "muted"

[roles.danger]
fg = "bad"
attrs = ["bold"]

[roles.status_ok]
fg = "ok"

[roles.status_warn]
fg = "warn"

[roles.status_error]
fg = "bad"
attrs = ["bold"]

[roles.detached]
fg = "white"
bg = "red"
attrs = ["bold"]

[roles.row_good]
fg = "ok"

[roles.row_warn]
fg = "warn"

[roles.row_bad]
fg = "bad"

[roles.prompt]
fg = "accent"
attrs = ["bold"]

[roles.dim]
fg = "muted"

[roles.log_trace]
fg = "muted"
attrs = ["dim"]

[roles.log_debug]
fg = "muted"

[roles.log_info]
fg = "default"

[roles.log_notice]
fg = "accent"

[roles.log_warning]
fg = "warn"

[roles.log_error]
fg = "bad"

[roles.log_critical]
fg = "white"
bg = "red"
attrs = ["bold"]
"""#
