// Entry point of the `ketachart` command (subcommands are added in cli/).
#include <iostream>
int main() { std::cout << "ketachart " << KETACHART_VERSION << "\n"; }
