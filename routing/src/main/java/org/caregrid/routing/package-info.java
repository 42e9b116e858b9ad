/**
 * The road network of one OSM file and what is computed on it: snapping, routes with zh-CN / en instructions,
 * many-to-many matrices (bucket CH), isochrones and nearest facilities. Start at {@link org.caregrid.routing.RoadNetwork}.
 * No Spring, no database: the server adapts these calls to HTTP and stores the results.
 */
package org.caregrid.routing;
