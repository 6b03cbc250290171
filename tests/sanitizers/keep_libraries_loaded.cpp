// Linked into every executable of an ARCHSCOPE_SANITIZE=ON build (root
// CMakeLists.txt). LeakSanitizer reports leaks at exit; a leak allocated in a
// library that was unloaded by then (the Vulkan loader dlcloses the Mesa
// lavapipe driver in vkDestroyInstance) has "<unknown module>" frames that no
// suppression can match, and the library's globals are no longer scanned, so
// memory they still point to is reported too. This no-op dlclose, which takes
// precedence over libc's for every library, keeps libraries mapped until
// exit. Nothing else changes: leaks in our code are still reported.
extern "C" int dlclose(void*) { return 0; }
