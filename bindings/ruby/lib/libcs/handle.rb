# frozen_string_literal: true

# bindings/ruby/lib/libcs/handle.rb - ownership of the library's opaque
# handles (health models, lifecycle policies): freed by the garbage
# collector through an FFI::AutoPointer, or at once by #free or at the end
# of a block, and never used after that.
require 'monitor'

module Libcs
  # @api private
  module OwnedHandle
    def self.included(base)
      base.extend(ClassMethods)
    end

    # @api private
    module ClassMethods
      # With a block: yield the new object, free it when the block ends
      # (however it ends), and return the block's value.
      def new(*args, **kw, &block)
        obj = super(*args, **kw, &nil)
        block ? obj.send(:use_and_free, &block) : obj
      end

      private

      # Run each of the named public methods holding the object's lock, which
      # #free takes too: another thread cannot free the C object between a
      # method's check that it is alive and its C call.
      def synchronized(*names)
        guard = Module.new do
          names.each do |name|
            define_method(name) { |*args, &block| @lock.synchronize { super(*args, &block) } }
            ruby2_keywords(name)
          end
        end
        prepend guard
      end

      # An AutoPointer subclass whose release calls the C free function.
      def releasing_with(free_function)
        Class.new(FFI::AutoPointer) do
          define_singleton_method(:release) { |ptr| Native.public_send(free_function, ptr) }
        end
      end
    end

    # Free the C object now rather than when the garbage collector finds
    # this one unreachable.  Safe to call twice; any later use raises
    # InvalidArgumentError.
    def free
      @lock.synchronize do
        h = @handle
        @handle = nil
        h&.free
      end
      nil
    end

    def freed?
      @handle.nil?
    end

    private

    # Take ownership of a fresh C pointer.
    def adopt(raw)
      @lock = Monitor.new
      @handle = self.class::Pointer.new(raw)
    end

    # The live handle for a call to `function`.
    def handle(function)
      @handle or raise InvalidArgumentError.new(
        "#{function}: this #{self.class} was freed", function: function, argument: 'self'
      )
    end

    def use_and_free
      yield self
    ensure
      free
    end
  end
  private_constant :OwnedHandle
end
