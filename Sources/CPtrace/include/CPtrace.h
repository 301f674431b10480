#pragma once
int lwp_placeholder(void);
