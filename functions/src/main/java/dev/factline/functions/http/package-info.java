/**
 * The HTTP edge, knowing no command: a view of an API Gateway HTTP API request (payload format
 * 2.0), route matching, strict JSON field readers that name what they refuse with a JSON pointer,
 * and responses, including RFC 9457 problem details.
 */
@NullMarked
package dev.factline.functions.http;

import org.jspecify.annotations.NullMarked;
