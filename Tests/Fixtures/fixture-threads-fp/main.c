// Built with frame pointers; see ../Shared/threads_fixture.inc.c.
#include "../Shared/threads_fixture.inc.c"
