// The command-line tool: `archscope <command> ...`. Qt-free; main.cpp calls
// runCli() when the first argument is a known command.
//
// Exit codes: 0 success, 2 bad input (message on stderr naming what is
// wrong), 1 runtime failure.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace archscope::cli {

struct Command {
    std::string name;
    std::string summary;
    std::string usage;  // full --help text
    std::function<int(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)> run;
};

// Every command, in the order `archscope --help` lists them.
const std::vector<Command>& commands();
bool isCommand(const std::string& name);
int runCli(int argc, char** argv, std::ostream& out, std::ostream& err);
// Takes the global plugin options (--plugin PATH, --no-plugins) out of argv,
// loads the plugins (once per process) and warns on `err` about bad ones.
// Returns the new argc, or -1 (message written) on a malformed option.
int applyPluginOptions(int argc, char** argv, std::ostream& err);

// Each command lives in its own file cmd_<name>.cpp and returns its Command;
// cli.cpp holds the one list.

}  // namespace archscope::cli
