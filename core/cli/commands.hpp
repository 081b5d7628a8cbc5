#pragma once
// Each command registers itself on the CLI11 app. Adding a command: write cmd_<name>.cpp with a register
// function, declare it here, and call it from main.cpp.
#include <functional>
#include <streambuf>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/session.hpp"
#include "cli/terminal_output.hpp"

namespace ptdoctor::cli {

// What a command's callback returns: the process exit code.
using CommandAction = std::function<int()>;

struct CommandContext {
  CommonOptions options;
  CommandAction action;  // set by the chosen subcommand
  std::string color = "auto";  // --color WHEN, for every command and for the messages on stderr
  bool no_color = false;       // --no-color: the same as --color=never

  ColorWhen color_when() const {
    return no_color ? ColorWhen::kNever : color_when_from(color).value_or(ColorWhen::kAuto);
  }
};

// The options shared by every command that looks at a host.
void add_host_options(CLI::App& command, CommonOptions& options);
// The options that select plugins and rules.
void add_catalogue_options(CLI::App& command, CommonOptions& options);
// The format a -o FILE's extension names (.json, .md, .markdown, .html, .htm, .txt) when it is among `formats`;
// "" otherwise.
std::string format_for_extension(const std::string& output_path, const std::vector<std::string>& formats);
// Without --format (format_option not given), -o FILE's extension picks the format: `-o report.md` writes Markdown.
void choose_format(const CLI::Option& format_option, const std::string& output_path,
                   const std::vector<std::string>& formats, std::string& format);
// Writes to -o FILE atomically, or to stdout. Returns false (after logging) when writing failed.
bool emit(const std::string& text, const std::string& output_path);
// emit() of what `fill` writes into the buffer, without holding it all in memory.
bool emit_streamed(const std::string& output_path, const std::function<void(std::streambuf&)>& fill);
// emit(document.dump(indent) + "\n", output_path), byte for byte, without holding the text in memory: `facts` on a
// host of thousands of PCI functions prints over 100 MB.
bool emit_json(const Json& document, int indent, const std::string& output_path);
// True when the report goes to stdout and stdout is a terminal (symbols and colour are for people at a terminal).
bool writes_to_terminal(const std::string& output_path);
// Colour for a report: --color=always and never as chosen; auto only when it goes to stdout, stdout is a terminal,
// NO_COLOR is empty and TERM is not dumb (terminal_output.hpp).
bool use_color(ColorWhen when, const std::string& output_path);

void register_check(CLI::App& app, CommandContext& context);
void register_facts(CLI::App& app, CommandContext& context);
void register_plugins(CLI::App& app, CommandContext& context);
void register_rules(CLI::App& app, CommandContext& context);
void register_explain(CLI::App& app, CommandContext& context);
void register_plan(CLI::App& app, CommandContext& context);
void register_fix(CLI::App& app, CommandContext& context);
void register_rollback(CLI::App& app, CommandContext& context);
void register_verify(CLI::App& app, CommandContext& context);
void register_snapshot(CLI::App& app, CommandContext& context);

}  // namespace ptdoctor::cli
