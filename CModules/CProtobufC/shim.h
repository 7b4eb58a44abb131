/* protobuf-c runtime (Debian libprotobuf-c-dev). Nothing to shim yet: the generated
 * per-message functions are called directly. */
#include <protobuf-c/protobuf-c.h>
