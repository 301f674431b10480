// The system libdeflate, for SHF_COMPRESSED sections: it inflates a libc's
// debug sections nearly three times as fast as zlib, which a dump pays for
// on every run.
#include <libdeflate.h>
