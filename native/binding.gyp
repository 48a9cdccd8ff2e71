{
  "targets": [
    {
      "target_name": "asterism_native",
      "sources": ["src/addon.cc", "src/pool.cc", "src/gemm.cc", "src/conv.cc", "src/epilogue.cc", "src/elementwise.cc", "src/pooling.cc", "src/direct_conv.cc", "src/fits_read.cc", "src/fft_plan.cc", "src/fft_avx2.cc", "src/fft_scalar.cc", "src/fft_napi.cc", "src/fft_zogy.cc", "src/svm.cc", "src/fits_array.cc"],
      "cflags!": ["-fno-exceptions", "-O2", "-O3"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags": ["-O3", "-ffp-contract=off", "-fno-fast-math"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-fast-math", "-pthread"],
      "ldflags": ["-pthread"]
    }
  ]
}
