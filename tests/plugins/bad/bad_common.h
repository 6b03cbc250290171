/* Shared pieces of the deliberately broken test plugins: an identity op. */
#include "archscope_plugin.h"

#include <string.h>

static int identityInfer(archscope_infer_args* a) {
    archscope_same_shape(a, 0, 0);
    return 0;
}

static int identityCpu(archscope_kernel_args* a) {
    memcpy(a->outputs[0].data, a->inputs[0].data, (size_t)a->inputs[0].numel * 4);
    return 0;
}

static const archscope_port_def kX[] = {{"x", ARCHSCOPE_PORT_F32, 0, "input"}};
static const archscope_port_def kY[] = {{"y", ARCHSCOPE_PORT_F32, 0, "output"}};

#define BAD_IDENTITY_OP(id) {id, id, "Test", "identity", kX, 1, kY, 1, NULL, 0, identityInfer, identityCpu, NULL, NULL}
