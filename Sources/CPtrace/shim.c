int lwp_placeholder(void) { return 0; }
