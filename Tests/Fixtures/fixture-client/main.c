// Placeholder: the client half of the wait fixtures (filled in on its branch).
int main(void) { return 0; }
