// Entry point: `render` needs Qt and runs here; other known commands run the
// Qt-free command-line tool; otherwise the GUI starts with the file given (or
// the built-in sample) open.
#include "app_window.h"
#include "cli/cli.h"

#include <QApplication>
#include <cstring>
#include <iostream>

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "render") == 0) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
        QGuiApplication app(argc, argv);
        return archscope::ui::runRender(app, app.arguments().mid(2));
    }
    if (argc > 1 && archscope::cli::isCommand(argv[1])) return archscope::cli::runCli(argc, argv, std::cout, std::cerr);
    QApplication app(argc, argv);  // QtCharts needs QApplication
    QApplication::setApplicationName("Archscope");
    QApplication::setOrganizationName("Archscope");
    return archscope::ui::runApp(app, argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString());
}
