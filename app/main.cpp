// Entry point: `render` needs Qt and runs here; other known commands run the
// Qt-free command-line tool; otherwise the GUI starts with the file given (or
// the built-in sample) open.
#include "app_window.h"
#include "cli/cli.h"

#include <QApplication>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace {
// A first argument that is not a file, has no path or extension and is not an
// option is a (possibly misspelt) command: the CLI reports it, exit 2.
bool looksLikeCommand(const char* a) {
    if (a[0] == '-' || std::strchr(a, '/') || std::strchr(a, '.')) return false;
    std::error_code ec;
    return !std::filesystem::exists(a, ec);
}
}  // namespace

int main(int argc, char** argv) {
    argc = archscope::cli::applyPluginOptions(argc, argv, std::cerr);  // --plugin PATH, --no-plugins; loads plugins
    if (argc < 0) return 2;
    if (argc > 1 && std::strcmp(argv[1], "render") == 0) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
        // Taken before QApplication, which consumes Qt's own options such as --session.
        QStringList args;
        for (int i = 2; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
        QApplication app(argc, argv);  // the chart views (QtCharts) need QApplication
        return archscope::ui::runRender(app, args);
    }
    if (argc > 1 && (archscope::cli::isCommand(argv[1]) || looksLikeCommand(argv[1]))) return archscope::cli::runCli(argc, argv, std::cout, std::cerr);
    QApplication app(argc, argv);  // QtCharts needs QApplication
    QApplication::setApplicationName("Archscope");
    QApplication::setOrganizationName("Archscope");
    return archscope::ui::runApp(app, argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString());
}
