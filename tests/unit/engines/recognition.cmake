# Tests for the recognition side of src/engines: VAD, ASR, words → lines, speakers.
# Included from CMakeLists.txt in this folder.
dramaloc_test(recognition_unit_tests LABEL unit SOURCES asr_lines_test.cpp LIBS dramaloc_engines)
if(DRAMALOC_WITH_ESPEAK)
  # Real engines on speech synthesised at test time (espeak-ng), music generated underneath.
  dramaloc_test(recognition_tests LABEL integration
    SOURCES recognition_fixture.cpp vad_test.cpp asr_test.cpp speakers_test.cpp
    LIBS dramaloc_engines)
  if(DRAMALOC_WITH_POCKETSPHINX)
    target_compile_definitions(recognition_tests PRIVATE DRAMALOC_WITH_POCKETSPHINX=1)
  endif()
endif()
