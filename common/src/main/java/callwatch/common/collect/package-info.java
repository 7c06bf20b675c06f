/** Small collections for hot paths that must not box their keys: pure, no Vert.x, not thread-safe. */
package callwatch.common.collect;
