# frozen_string_literal: true

# bindings/ruby/libcs.gemspec - the libcs gem: the Ruby binding only; the C
# library (libcs.so.0, 0.6.0 or newer) is installed separately.
require_relative 'lib/libcs/version'

Gem::Specification.new do |s|
  s.name = 'libcs'
  s.version = Libcs::VERSION
  s.summary = 'Customer-success metrics (LTV, churn, NRR, NPS, health scores, MRR, retention curves, ' \
              'BG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma and shifted-beta-geometric models) from libcs'
  s.description = <<~TEXT
    Ruby bindings, over ffi, of libcs: a C library of customer-success metrics -
    lifetime value, customer and revenue churn and retention, NPS with
    confidence intervals, CSAT and CES, health scores, touch-model
    segmentation, lifecycle stages, MRR movements and cohorts, Kaplan-Meier
    retention curves, the BG/NBD, Pareto/NBD, BG/BB and Gamma-Gamma models
    of customer lifetime value, and the shifted-beta-geometric model of
    contract renewals.  Needs the libcs shared library (libcs.so.0, version
    0.6.0 or newer); set LIBCS_LIBRARY to its path when
    neither pkg-config nor the system loader finds it.
  TEXT
  s.authors = ['The libcs authors']
  s.license = 'MIT'
  s.required_ruby_version = '>= 2.7'
  s.files = Dir.chdir(__dir__) { Dir['lib/**/*.rb'] + ['README.md', 'libcs.gemspec'] }.sort
  s.require_paths = ['lib']
  s.add_runtime_dependency 'ffi', '~> 1.15'
  s.add_development_dependency 'minitest', '~> 5.0'
  s.metadata['rubygems_mfa_required'] = 'true'
end
