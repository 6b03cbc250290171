#include "render_options.h"

namespace archscope::ui {

namespace {

const QStringList kViews{"graph", "latency", "timeline", "attention", "sparsity", "moe", "compare", "sweep"};

// Whole number in [lo, hi], or "last" (0) where allowed.
bool toInt(const QString& v, int lo, int hi, int* out, bool lastOk = false) {
    if (lastOk && v == "last") { *out = 0; return true; }
    bool ok = false;
    *out = v.toInt(&ok);
    return ok && *out >= lo && *out <= hi;
}

QString check(const RenderArgs& r) {
    if (!kViews.contains(r.view)) return "unknown view \"" + r.view + "\" (available: " + kViews.join(", ") + ")";
    if (r.out.isEmpty()) return "-o OUT.png is required";
    if (r.format != "png" && r.format != "svg") return "--format takes png or svg, got \"" + r.format + "\"";
    if (r.format == "svg" && r.view != "graph" && r.view != "latency")
        return "--format svg is available for the graph and latency views; use PNG for --view " + r.view;
    const QString ext = r.format == "svg" ? ".svg" : ".png";
    if (!r.out.endsWith(ext, Qt::CaseInsensitive)) return "-o " + r.out + " should end in " + ext + " for --format " + r.format;
    if (r.view != "graph" && r.db.isEmpty()) return "--view " + r.view + " needs --db DB (a profile store, see `archscope profile`)";
    if (r.file.isEmpty() && r.db.isEmpty()) return "expected a design FILE";
    if (!r.mode.isEmpty() && !QStringList{"time", "share", "gflops", "memory"}.contains(r.mode))
        return "--color takes time, share, gflops or memory, got \"" + r.mode + "\"";
    return {};
}

}  // namespace

QString renderUsage() {
    return "usage: archscope render [FILE] --view VIEW -o OUT.png [--db DB] [--session ID|last] [--compare ID]\n"
           "                        [--node N] [--layer L] [--head H] [--color time|share|gflops|memory]\n"
           "                        [--format png|svg] [--width W] [--height H]\n\n"
           "Draws one of the GUI's views to a picture without a display (the same QML as the window).\n"
           "VIEW: graph, latency (graph coloured by the session), timeline, attention, sparsity, moe,\n"
           "compare (--session A against --compare B), sweep. Every view but graph reads the profile\n"
           "store --db; FILE defaults to the session's design snapshot. --node selects a node (the\n"
           "views show it), --layer/--head pick the attention map. --format svg writes the graph or\n"
           "latency view as SVG. Default size 1600x900.\n";
}

QString parseRenderArgs(const QStringList& a, RenderArgs* r) {
    static const QStringList valued{"--view", "-o", "--width", "--height", "--db", "--session", "--compare", "--node",
                                    "--layer", "--head", "--format", "--color"};
    for (int i = 0; i < a.size(); ++i) {
        const QString& k = a[i];
        if (valued.contains(k)) {
            if (i + 1 >= a.size()) return k + " needs a value";
            const QString v = a[++i];
            bool ok = true;
            if (k == "--view") r->view = v;
            else if (k == "-o") r->out = v;
            else if (k == "--db") r->db = v;
            else if (k == "--node") r->node = v;
            else if (k == "--format") r->format = v;
            else if (k == "--color") r->mode = v;
            else if (k == "--width" || k == "--height") {
                if (!toInt(v, 64, 8192, k == "--width" ? &r->width : &r->height)) return "--width and --height take whole numbers from 64 to 8192";
            } else if (k == "--session") ok = toInt(v, 1, INT32_MAX, &r->session, true);
            else if (k == "--compare") ok = toInt(v, 1, INT32_MAX, &r->compare, true);
            else if (k == "--layer") ok = toInt(v, 0, 100000, &r->layer);
            else if (k == "--head") ok = toInt(v, 0, 100000, &r->head);
            if (!ok) return k + " takes a whole number" + (k == "--session" || k == "--compare" ? " (a session id) or \"last\"" : "") + ", got \"" + v + "\"";
        } else if (k.startsWith('-')) {
            return "unknown option " + k;
        } else if (r->file.isEmpty()) {
            r->file = k;
        } else {
            return "expected one FILE, got also \"" + k + "\"";
        }
    }
    return check(*r);
}

}  // namespace archscope::ui
