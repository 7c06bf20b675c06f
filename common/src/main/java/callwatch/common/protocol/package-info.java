/**
 * Wire protocol v1 between agent and aggregator (see docs/protocol.md): records and a JSON codec.
 * Pure code, usable from any thread.
 */
package callwatch.common.protocol;
