// Entry point: a known command runs the command-line tool; otherwise the GUI
// starts with the file given (or the built-in sample) open.
#include "cli/cli.h"
#include "app_window.h"

#include <QApplication>
#include <iostream>

int main(int argc, char** argv) {
    if (argc > 1 && archscope::cli::isCommand(argv[1])) return archscope::cli::runCli(argc, argv, std::cout, std::cerr);
    QApplication app(argc, argv);  // QtCharts needs QApplication
    QApplication::setApplicationName("Archscope");
    QApplication::setOrganizationName("Archscope");
    return archscope::ui::runApp(app, argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString());
}
