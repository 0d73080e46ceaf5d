#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"dramaloc — localize short dramas"};
    CLI11_PARSE(app, argc, argv);
    return 0;
}
