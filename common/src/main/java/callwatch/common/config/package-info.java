/** Config loading shared by agent and aggregator; blocking file reads, call at start-up only. */
package callwatch.common.config;
