// A shared library that is not a ptdoctor plugin at all.
extern "C" __attribute__((visibility("default"))) int unrelated_function() { return 7; }
