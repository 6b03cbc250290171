/* archscope_plugin.h: the Archscope plugin ABI (version 1).
 *
 * A plugin is a shared library that adds ops to Archscope without rebuilding
 * it. It exports two C functions, and optionally a third:
 *
 *   uint32_t archscope_plugin_abi_version(void);        returns ARCHSCOPE_PLUGIN_ABI_VERSION
 *   const archscope_plugin_desc* archscope_plugin_ops(void);  name, version and op table
 *   const archscope_template_table* archscope_plugin_templates(void);  optional: templates
 *
 * Everything crossing the boundary is plain C: fixed-size integers, doubles,
 * NUL-terminated UTF-8 strings, arrays with counts, and function pointers that
 * return 0 on success or non-zero with a message in `error`. No C++ types, no
 * allocation across the boundary, no exceptions: a plugin built by any C or
 * C++ compiler works with any Archscope build of the same ABI version.
 * The whole walk-through, with the field-by-field reference, is docs/plugins.md.
 *
 * Ownership: every pointer in the descriptor (strings, arrays, SPIR-V words)
 * must stay valid while the library is loaded (static storage is simplest).
 * Archscope never unloads a plugin whose ops it registered. Pointers the host
 * passes into callbacks are valid only during the call.
 *
 * Threads: infer, cpu and expand may be called from several threads at once;
 * keep them free of mutable global state.
 */
#ifndef ARCHSCOPE_PLUGIN_H
#define ARCHSCOPE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#define ARCHSCOPE_PLUGIN_ABI_VERSION 1u

#define ARCHSCOPE_MAX_RANK 8          /* tensors of higher rank are refused for plugin ops */
#define ARCHSCOPE_MAX_OUTPUTS 8
#define ARCHSCOPE_MAX_PARAMS 16
#define ARCHSCOPE_NAME_MAX 64         /* parameter names, including the NUL */
#define ARCHSCOPE_ERROR_MAX 256       /* error messages, including the NUL */
#define ARCHSCOPE_MAX_PUSH_FIELDS 32  /* 32 x 4 bytes = the 128-byte push-constant block */

#ifdef __cplusplus
#define ARCHSCOPE_EXTERN_C extern "C"
#else
#define ARCHSCOPE_EXTERN_C
#endif
#if defined(_WIN32)
#define ARCHSCOPE_PLUGIN_EXPORT ARCHSCOPE_EXTERN_C __declspec(dllexport)
#else
#define ARCHSCOPE_PLUGIN_EXPORT ARCHSCOPE_EXTERN_C __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Element types of tensors. */
enum { ARCHSCOPE_F32 = 0, ARCHSCOPE_I64 = 1 };
/* What a port accepts. */
enum { ARCHSCOPE_PORT_F32 = 0, ARCHSCOPE_PORT_I64 = 1, ARCHSCOPE_PORT_ANY = 2 };
/* Attribute types (as in design files; SHAPE is a string like "B, T, 64"). */
enum {
    ARCHSCOPE_ATTR_INT = 0,
    ARCHSCOPE_ATTR_FLOAT = 1,
    ARCHSCOPE_ATTR_BOOL = 2,
    ARCHSCOPE_ATTR_STRING = 3,
    ARCHSCOPE_ATTR_ENUM = 4,
    ARCHSCOPE_ATTR_INTS = 5,
    ARCHSCOPE_ATTR_SHAPE = 6
};
/* How a parameter is initialised when no weights file provides it. */
enum { ARCHSCOPE_INIT_ZEROS = 0, ARCHSCOPE_INIT_ONES = 1, ARCHSCOPE_INIT_UNIFORM = 2, ARCHSCOPE_INIT_NORMAL = 3 };

typedef struct archscope_port_def {
    const char* name;  /* unique among the op's inputs (or outputs) */
    int32_t type;      /* ARCHSCOPE_PORT_* */
    int32_t optional;  /* inputs only: 1 = may be left unconnected */
    const char* doc;
} archscope_port_def;

typedef struct archscope_attr_def {
    const char* name;
    int32_t type;                  /* ARCHSCOPE_ATTR_* */
    int32_t required;              /* 1: no default, the design must set it */
    int64_t default_int;           /* INT; BOOL (0 or 1) */
    double default_float;          /* FLOAT */
    const char* default_string;    /* STRING, ENUM (one of choices), SHAPE */
    const int64_t* default_ints;   /* INTS */
    int32_t default_ints_count;
    int32_t has_range;             /* INT/FLOAT: 1 = values must lie in [min, max] */
    double min, max;
    const char* const* choices;    /* ENUM */
    int32_t choice_count;
    const char* doc;
} archscope_attr_def;

/* One resolved attribute value (defaults filled in, range already checked). */
typedef struct archscope_attr_value {
    int64_t i;            /* INT, BOOL (0/1) */
    double f;             /* FLOAT; INT values are also given here */
    const char* s;        /* STRING, ENUM, SHAPE; "" otherwise */
    const int64_t* ints;  /* INTS */
    int32_t ints_count;
} archscope_attr_value;

/* ---- Shape inference ------------------------------------------------------ */

/* The type of one input during shape inference (concrete sizes). */
typedef struct archscope_type {
    int32_t present;  /* 0: an unconnected optional input */
    int32_t dtype;    /* ARCHSCOPE_F32 / ARCHSCOPE_I64 */
    int32_t rank;
    int64_t dims[ARCHSCOPE_MAX_RANK];
} archscope_type;

/* One output dimension: a constant, or "the same as input `input`, axis `axis`",
 * which keeps its symbolic form (e.g. T) in `archscope info` and the GUI. */
typedef struct archscope_dim {
    int64_t value;  /* used when input < 0 */
    int32_t input;  /* >= 0: copy this input's dimension */
    int32_t axis;   /* negative counts from the end */
} archscope_dim;

typedef struct archscope_output_type {
    int32_t dtype;
    int32_t rank;
    archscope_dim dims[ARCHSCOPE_MAX_RANK];
} archscope_output_type;

typedef struct archscope_param_spec {
    char name[ARCHSCOPE_NAME_MAX];  /* "weight", ...: the key in weight files is "<node>.<name>" */
    int32_t init;                   /* ARCHSCOPE_INIT_* */
    float scale;                    /* UNIFORM: bound; NORMAL: standard deviation */
    int32_t rank;
    int64_t shape[ARCHSCOPE_MAX_RANK];
} archscope_param_spec;

/* The host zero-fills this, sets bytes = -1 and error_input = -1, fills the
 * given part, and calls infer(). The plugin fills outputs, params and the cost. */
typedef struct archscope_infer_args {
    const archscope_attr_value* attrs;  /* in archscope_op_def.attrs order */
    int32_t attr_count;
    const archscope_type* inputs;       /* in archscope_op_def.inputs order */
    int32_t input_count;

    archscope_output_type outputs[ARCHSCOPE_MAX_OUTPUTS];  /* in archscope_op_def.outputs order */
    int32_t output_count;
    archscope_param_spec params[ARCHSCOPE_MAX_PARAMS];
    int32_t param_count;
    int64_t flops;        /* floating-point operations of one execution */
    int64_t bytes;        /* memory traffic; leave -1 for inputs + outputs + parameters */
    int32_t error_input;  /* on failure: the input the message is about, or -1 for the node */
    char error[ARCHSCOPE_ERROR_MAX];
} archscope_infer_args;

/* ---- CPU kernel ---------------------------------------------------------- */

/* A dense row-major host tensor. */
typedef struct archscope_tensor {
    int32_t dtype;
    int32_t rank;
    const int64_t* shape;
    int64_t numel;
    void* data;  /* NULL for an unconnected optional input; read-only for inputs and params */
} archscope_tensor;

typedef struct archscope_kernel_args {
    const archscope_attr_value* attrs;
    int32_t attr_count;
    const archscope_tensor* inputs;   /* in port order */
    int32_t input_count;
    const archscope_tensor* params;   /* in the order infer() declared them */
    int32_t param_count;
    const archscope_tensor* outputs;  /* allocated with the inferred shapes; the kernel writes them */
    int32_t output_count;
    char error[ARCHSCOPE_ERROR_MAX];
} archscope_kernel_args;

/* ---- Composite ops ------------------------------------------------------- */

/* expand() writes the op's body as design-file JSON ({"nodes": [...], "edges": [...]},
 * see docs/design-format.md) into body, NUL-terminated, and sets length to the
 * body's strlen. If length >= capacity the host calls again with a larger buffer.
 * The body's "input" nodes are named after the op's inputs, its "output" nodes
 * after its outputs; inner nodes may use core ops, this plugin's ops or any other. */
typedef struct archscope_expand_args {
    const archscope_attr_value* attrs;
    int32_t attr_count;
    char* body;
    size_t capacity;
    size_t length;
    char error[ARCHSCOPE_ERROR_MAX];
} archscope_expand_args;

/* ---- Vulkan kernel ------------------------------------------------------- */

/* The host binds every tensor as a storage buffer, binding i in this order:
 * inputs, then parameters, then outputs (an unconnected optional input is bound
 * to output 0's buffer; ARCHSCOPE_PUSH_PRESENT tells the shader). It fills the
 * push-constant block from the fields below, 4 bytes each, in order, and
 * dispatches ceil(count / local_size_x) workgroups, where count is the element
 * or row count of tensor `grid_tensor`. Large grids are split over x and y, so
 * the shader's linear index is
 *   gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x
 * and it must return when that index >= count. */
enum {
    ARCHSCOPE_PUSH_NUMEL = 1,        /* uint: element count of tensor `tensor` */
    ARCHSCOPE_PUSH_ROWS = 2,         /* uint: numel / last dimension of `tensor` */
    ARCHSCOPE_PUSH_DIM = 3,          /* uint: dimension `axis` (negative from the end) of `tensor` */
    ARCHSCOPE_PUSH_ATTR_INT = 4,     /* int: attribute `attr` (INT or BOOL) */
    ARCHSCOPE_PUSH_ATTR_FLOAT = 5,   /* float: attribute `attr` (FLOAT or INT) */
    ARCHSCOPE_PUSH_PRESENT = 6       /* uint: 1 if input `tensor` is connected, else 0 */
};
enum { ARCHSCOPE_GRID_NUMEL = 0, ARCHSCOPE_GRID_ROWS = 1 };

typedef struct archscope_push_field {
    int32_t kind;    /* ARCHSCOPE_PUSH_* */
    int32_t tensor;  /* binding index, for NUMEL/ROWS/DIM/PRESENT */
    int32_t axis;    /* DIM */
    int32_t attr;    /* index into archscope_op_def.attrs, for ATTR_* */
} archscope_push_field;

typedef struct archscope_vulkan_kernel {
    const uint32_t* spirv;  /* SPIR-V words (glslc -mfmt=num output, see plugins/CMakeLists.txt) */
    size_t spirv_words;
    uint32_t local_size_x;  /* must equal the shader's layout(local_size_x = N) */
    int32_t grid;           /* ARCHSCOPE_GRID_NUMEL or ARCHSCOPE_GRID_ROWS */
    int32_t grid_tensor;    /* binding index the grid counts */
    const archscope_push_field* push;
    int32_t push_count;     /* at most ARCHSCOPE_MAX_PUSH_FIELDS */
} archscope_vulkan_kernel;

/* ---- Ops and the plugin -------------------------------------------------- */

typedef struct archscope_op_def {
    const char* id;            /* unique across Archscope: [A-Za-z_][A-Za-z0-9_.-]*; prefix it with the plugin name */
    const char* display_name;  /* palette label */
    const char* category;      /* palette section, e.g. "Activation" */
    const char* doc;           /* one paragraph: formula and source paper */
    const archscope_port_def* inputs;
    int32_t input_count;
    const archscope_port_def* outputs;
    int32_t output_count;      /* at most ARCHSCOPE_MAX_OUTPUTS */
    const archscope_attr_def* attrs;
    int32_t attr_count;
    /* A primitive op sets infer and cpu; a composite op sets expand instead. */
    int (*infer)(archscope_infer_args* args);
    int (*cpu)(archscope_kernel_args* args);
    int (*expand)(archscope_expand_args* args);
    const archscope_vulkan_kernel* vulkan;  /* optional; NULL = the node runs on the CPU under Vulkan */
} archscope_op_def;

typedef struct archscope_plugin_desc {
    const char* name;         /* [a-z0-9_]+; designs using its ops record it ("plugins" in the file) */
    const char* version;      /* free text, e.g. "1.0.0" */
    const char* description;  /* one line */
    const archscope_op_def* ops;
    int32_t op_count;
} archscope_plugin_desc;

/* The two exported functions. */
typedef uint32_t (*archscope_plugin_abi_version_fn)(void);
typedef const archscope_plugin_desc* (*archscope_plugin_ops_fn)(void);

/* ---- Templates (optional third symbol) ------------------------------------ */

/* A plugin may also export
 *
 *   const archscope_template_table* archscope_plugin_templates(void);
 *
 * to add architecture templates that use its ops to `archscope templates`,
 * `archscope new` and the GUI gallery. A plugin without the symbol loads as
 * before (this is an addition to ABI version 1, not a new ABI version). The
 * table carries its own version, ARCHSCOPE_TEMPLATES_VERSION: Archscope
 * refuses the plugin when that version differs, naming both numbers.
 *
 * build() receives the resolved parameters (defaults filled in, ranges
 * checked) and writes a complete design file (docs/design-format.md: "format",
 * "version", "symbols", "nodes", "edges", optional "groups") into design,
 * NUL-terminated, setting length to its strlen; if length >= capacity the host
 * calls again with a buffer of length + 1 bytes. Return 0, or non-zero with a
 * message in error naming the parameter (e.g. "d_model = 100 is not divisible
 * by heads = 3"). */
#define ARCHSCOPE_TEMPLATES_VERSION 1u

typedef struct archscope_template_args {
    const archscope_attr_value* params;  /* in archscope_template_def.params order */
    int32_t param_count;
    char* design;
    size_t capacity;
    size_t length;
    char error[ARCHSCOPE_ERROR_MAX];
} archscope_template_args;

typedef struct archscope_template_def {
    const char* name;         /* "<plugin>_<name>": [a-z0-9_]+, starting with the plugin's name and _ */
    const char* title;        /* one line, e.g. "KAT: ViT with GR-KAN feed-forward" */
    const char* description;  /* one paragraph naming the paper(s) */
    const char* paper;        /* short citation */
    const archscope_attr_def* params;  /* size parameters, declared like op attributes */
    int32_t param_count;
    int (*build)(archscope_template_args* args);
} archscope_template_def;

typedef struct archscope_template_table {
    uint32_t version;  /* ARCHSCOPE_TEMPLATES_VERSION */
    const archscope_template_def* templates;
    int32_t template_count;
} archscope_template_table;

typedef const archscope_template_table* (*archscope_plugin_templates_fn)(void);

/* ---- Small helpers for plugin code (header-only, optional) ---------------- */

static inline archscope_dim archscope_dim_const(int64_t v) {
    archscope_dim d;
    d.value = v;
    d.input = -1;
    d.axis = 0;
    return d;
}

static inline archscope_dim archscope_dim_of(int32_t input, int32_t axis) {
    archscope_dim d;
    d.value = 0;
    d.input = input;
    d.axis = axis;
    return d;
}

/* Copies input `input`'s shape to output `output` (dims keep their symbolic form). */
static inline void archscope_same_shape(archscope_infer_args* a, int32_t output, int32_t input) {
    int32_t r = a->inputs[input].rank;
    a->outputs[output].dtype = a->inputs[input].dtype;
    a->outputs[output].rank = r;
    for (int32_t i = 0; i < r; ++i) a->outputs[output].dims[i] = archscope_dim_of(input, i);
    if (a->output_count <= output) a->output_count = output + 1;
}

/* Copies at most ARCHSCOPE_ERROR_MAX - 1 bytes of msg into an error field. */
static inline int archscope_fail(char* error, const char* msg) {
    size_t i = 0;
    for (; msg[i] && i + 1 < ARCHSCOPE_ERROR_MAX; ++i) error[i] = msg[i];
    error[i] = 0;
    return 1;
}

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* ARCHSCOPE_PLUGIN_H */
