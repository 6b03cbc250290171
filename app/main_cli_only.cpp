// Entry point when built without the GUI (ARCHSCOPE_BUILD_GUI=OFF).
#include "cli/cli.h"

#include <iostream>

int main(int argc, char** argv) { return archscope::cli::runCli(argc, argv, std::cout, std::cerr); }
