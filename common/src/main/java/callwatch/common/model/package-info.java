/** The call model shared by agent and aggregator: pure data, no Vert.x, no threads. */
package callwatch.common.model;
