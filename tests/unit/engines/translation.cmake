# Translation tests: the registry and the apertium backend, which runs the real apertium
# program with the installed Debian pairs (scripts/install-deps.sh), hence `integration`.
if(DRAMALOC_WITH_APERTIUM)
  dramaloc_test(translate_tests LABEL integration SOURCES translate_test.cpp LIBS dramaloc_engines)
endif()
