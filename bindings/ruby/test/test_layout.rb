# frozen_string_literal: true

# bindings/ruby/test/test_layout.rb - the FFI structs have the C layout:
# a small C program compiled against libcs.h prints each struct's size and
# each member's offset, which must equal the FFI::Struct's (and the #define
# constants the binding copies).
require_relative 'test_helper'

class TestLayout < Minitest::Test
  STRUCTS = {
    'libcs_nps_tally' => Libcs::Native::NpsTallyStruct,
    'libcs_nps_result' => Libcs::Native::NpsResultStruct,
    'libcs_touch_summary' => Libcs::Native::TouchSummaryStruct,
    'libcs_mrr_period' => Libcs::Native::MrrPeriodStruct,
    'libcs_mrr_rates' => Libcs::Native::MrrRatesStruct,
    'libcs_clv_fit' => Libcs::Native::ClvFitStruct
  }.freeze

  def test_struct_layout_matches_c
    cc = LibcsTest.cc
    skip 'no C compiler (set CC)' unless cc
    builddir = LibcsTest.top_builddir
    skip 'top_builddir not set (include/libcs/version.h is generated there)' unless builddir

    lines = ['#include <stddef.h>', '#include <stdio.h>', '#include <libcs.h>', 'int main(void) {']
    STRUCTS.each do |c_name, klass|
      lines << %(printf("#{c_name} size %zu\\n", sizeof(#{c_name}));)
      klass.members.each do |m|
        lines << %(printf("#{c_name} #{m} %zu\\n", offsetof(#{c_name}, #{m}));)
      end
    end
    lines << %(printf("serialized %d\\n", LIBCS_NPS_TALLY_SERIALIZED_SIZE);)
    lines << %(printf("any gap %d\\n", LIBCS_MRR_ANY_GAP);) << 'return 0; }'
    Dir.mktmpdir do |dir|
      src = File.join(dir, 'layout.c')
      exe = File.join(dir, 'layout')
      File.write(src, lines.join("\n"))
      out, status = Open3.capture2e(cc, '-I', File.join(LibcsTest::TOP_SRCDIR, 'include'),
                                    '-I', File.join(builddir, 'include'), src, '-o', exe)
      assert status.success?, out
      out, status = Open3.capture2(exe)
      assert status.success?
      want = []
      STRUCTS.each do |c_name, klass|
        want << "#{c_name} size #{klass.size}"
        klass.members.each { |m| want << "#{c_name} #{m} #{klass.offset_of(m)}" }
      end
      want << "serialized #{Libcs::NpsTally::SERIALIZED_SIZE}" << "any gap #{Libcs::MrrLedger::ANY_GAP}"
      assert_equal want, out.lines.map(&:chomp)
    end
  end
end
