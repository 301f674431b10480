// The system zlib, for SHF_COMPRESSED sections and the .gnu_debuglink CRC32.
#include <zlib.h>
