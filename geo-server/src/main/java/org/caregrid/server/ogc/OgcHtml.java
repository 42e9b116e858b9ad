package org.caregrid.server.ogc;

import java.util.Map;

import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.JsonNode;

/**
 * The HTML form of every OGC document, rendered from its JSON form: title, links, then the document's
 * collections, conformance classes, features (a table of their properties) or a single feature's properties.
 * Every value is escaped; the page runs no script.
 */
final class OgcHtml {

    private OgcHtml() {
    }

    static String page(String heading, JsonNode doc) {
        StringBuilder html = new StringBuilder(4096).append("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">")
                .append("<title>").append(esc(heading)).append(" – caregrid OGC API</title>")
                .append("<style>body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}</style>")
                .append("</head><body>\n<h1>").append(esc(heading)).append("</h1>\n");
        text(html, doc, "description", "p");
        if (doc.has("numberMatched")) {
            html.append("<p>").append(doc.get("numberReturned").asString()).append(" of ")
                    .append(doc.get("numberMatched").asString()).append(" features</p>\n");
        }
        links(html, doc.get("links"));
        JsonNode collections = doc.get("collections");
        if (collections != null) {
            html.append("<table><tr><th>id</th><th>title</th><th>description</th></tr>\n");
            for (JsonNode c : collections) {
                html.append("<tr><td><a href=\"").append(esc(hrefOf(c, "self"))).append("\">").append(esc(c.get("id").asString()))
                        .append("</a></td><td>").append(esc(c.path("title").asString())).append("</td><td>")
                        .append(esc(c.path("description").asString())).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        JsonNode conformsTo = doc.get("conformsTo");
        if (conformsTo != null) {
            html.append("<ul>");
            conformsTo.forEach(c -> html.append("<li>").append(esc(c.asString())).append("</li>"));
            html.append("</ul>\n");
        }
        JsonNode features = doc.get("features");
        if (features != null) {
            featureTable(html, features);
        }
        if ("Feature".equals(doc.path("type").asString())) {
            html.append("<h2>").append(esc(doc.path("id").asString())).append("</h2>");
            properties(html, doc.get("properties"));
            html.append("<p>geometry: ").append(esc(doc.path("geometry").path("type").asString("none"))).append("</p>");
        }
        JsonNode paths = doc.get("paths");
        if (paths != null) {
            html.append("<ul>");
            for (Map.Entry<String, JsonNode> p : paths.properties()) {
                html.append("<li><code>GET ").append(esc(p.getKey())).append("</code> – ")
                        .append(esc(p.getValue().path("get").path("summary").asString())).append("</li>");
            }
            html.append("</ul>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private static void featureTable(StringBuilder html, JsonNode features) {
        html.append("<table><tr><th>id</th><th>properties</th></tr>\n");
        for (JsonNode f : features) {
            html.append("<tr><td>").append(esc(f.path("id").asString())).append("</td><td>");
            properties(html, f.get("properties"));
            html.append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void properties(StringBuilder html, JsonNode properties) {
        if (properties == null || properties.isNull()) {
            return;
        }
        html.append("<dl>");
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
            html.append("<dt>").append(esc(p.getKey())).append("</dt><dd>")
                    .append(esc(p.getValue().isNull() ? "" : p.getValue().asString())).append("</dd>");
        }
        html.append("</dl>");
    }

    private static void links(StringBuilder html, JsonNode links) {
        if (links == null) {
            return;
        }
        html.append("<ul class=\"links\">");
        for (JsonNode l : links) {
            html.append("<li><a rel=\"").append(esc(l.path("rel").asString())).append("\" href=\"")
                    .append(esc(l.path("href").asString())).append("\">")
                    .append(esc(l.path("title").asString(l.path("rel").asString()))).append("</a> (")
                    .append(esc(l.path("rel").asString())).append(", ").append(esc(l.path("type").asString()))
                    .append(")</li>");
        }
        html.append("</ul>\n");
    }

    private static String hrefOf(JsonNode doc, String rel) {
        for (JsonNode l : doc.path("links")) {
            if (rel.equals(l.path("rel").asString())) {
                return l.path("href").asString();
            }
        }
        return "";
    }

    private static void text(StringBuilder html, JsonNode doc, String field, String tag) {
        if (doc.has(field)) {
            html.append('<').append(tag).append('>').append(esc(doc.get(field).asString())).append("</").append(tag).append(">\n");
        }
    }

    private static String esc(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s, "UTF-8");
    }
}
