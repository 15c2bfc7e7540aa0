import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  SessionReader,
  SessionStore,
  SessionTracker,
  appendPrivate,
  contentText,
  humanTextPartIndexes,
  identifySession,
  insightCommitHook,
  isInjectedText,
  parseResponsesItem,
  splitUserMessage
} from "./chunk-ENRQ5CXS.js";
import {
  CHATGPT_OFF_STATUS,
  chatgptOffBody,
  decisionBody,
  gapStatus,
  gapUpdate,
  modeBody,
  upstreamForHeaders,
  upstreamLabel
} from "./chunk-IKATHXMC.js";
import {
  CredentialVault,
  InsightDesk,
  InsightPages,
  InsightReader,
  LiveEvents,
  ModelAccessResolver,
  SESSION_SUMMARY_SCHEMA,
  TURN_INSIGHT_SCHEMA,
  callStructured,
  installModelAccess,
  loadPrompt,
  loadPrompts,
  renderPrompt
} from "./chunk-XNOIKAI7.js";
import {
  JobQueue,
  jobEvent,
  newId
} from "./chunk-JFZII2VR.js";
import {
  j
} from "./chunk-ZEXPMZYJ.js";
import {
  HTTPException,
  Hono,
  HtmlEscapedCallbackPhase,
  apiError,
  cookieName,
  everyIssue,
  getCookie,
  hostAllowed,
  jsonBody,
  requireToken,
  resolveCallback,
  securityHeaders,
  setCookie,
  tokenMatches
} from "./chunk-NU2U42BE.js";
import {
  DEFAULT_LEARN,
  isLoopbackHost
} from "./chunk-CTH7AKF6.js";
import {
  external_exports
} from "./chunk-36VX2XZQ.js";
import {
  MATCH_END,
  MATCH_START,
  SearchIndex,
  bodyMeta,
  chatClientFacts,
  clientSessionId,
  cwdOfContext,
  cwdOfInput,
  decideProject,
  header,
  headerMeta,
  isClientContext,
  isObject,
  mergeMeta,
  projectSlug,
  ruleFor,
  statesCwd,
  str
} from "./chunk-WZ2QJHAO.js";
import {
  mdCode,
  mdLine
} from "./chunk-ZVVK6MQD.js";
import {
  redact
} from "./chunk-LXEFACVR.js";
import {
  createParser
} from "./chunk-DCJSZQKD.js";
import {
  VERSION
} from "./chunk-KLYTUDPQ.js";
import {
  UI_DIST
} from "./chunk-UZUECKVP.js";
import "./chunk-FUKTGKM3.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-V4RWK56N.js";

// node_modules/ws/lib/constants.js
var require_constants = __commonJS({
  "node_modules/ws/lib/constants.js"(exports, module) {
    "use strict";
    var BINARY_TYPES = ["nodebuffer", "arraybuffer", "fragments"];
    var hasBlob = typeof Blob !== "undefined";
    if (hasBlob) BINARY_TYPES.push("blob");
    module.exports = {
      BINARY_TYPES,
      CLOSE_TIMEOUT: 3e4,
      EMPTY_BUFFER: Buffer.alloc(0),
      GUID: "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
      hasBlob,
      kForOnEventAttribute: /* @__PURE__ */ Symbol("kIsForOnEventAttribute"),
      kListener: /* @__PURE__ */ Symbol("kListener"),
      kStatusCode: /* @__PURE__ */ Symbol("status-code"),
      kWebSocket: /* @__PURE__ */ Symbol("websocket"),
      NOOP: () => {
      }
    };
  }
});

// node_modules/ws/lib/buffer-util.js
var require_buffer_util = __commonJS({
  "node_modules/ws/lib/buffer-util.js"(exports, module) {
    "use strict";
    var { websocketMask, websocketUnmask } = __require("http");
    var { EMPTY_BUFFER } = require_constants();
    var FastBuffer = Buffer[Symbol.species];
    function concat(list, totalLength2) {
      if (list.length === 0) return EMPTY_BUFFER;
      if (list.length === 1) return list[0];
      const target = Buffer.allocUnsafe(totalLength2);
      let offset = 0;
      for (let i = 0; i < list.length; i++) {
        const buf = list[i];
        target.set(buf, offset);
        offset += buf.length;
      }
      if (offset < totalLength2) {
        return new FastBuffer(target.buffer, target.byteOffset, offset);
      }
      return target;
    }
    function _mask(source, mask, output, offset, length) {
      for (let i = 0; i < length; i++) {
        output[offset + i] = source[i] ^ mask[i & 3];
      }
    }
    function _unmask(buffer, mask) {
      for (let i = 0; i < buffer.length; i++) {
        buffer[i] ^= mask[i & 3];
      }
    }
    function toArrayBuffer(buf) {
      if (buf.length === buf.buffer.byteLength) {
        return buf.buffer;
      }
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
    }
    function toBuffer(data) {
      toBuffer.readOnly = true;
      if (Buffer.isBuffer(data)) return data;
      let buf;
      if (data instanceof ArrayBuffer) {
        buf = new FastBuffer(data);
      } else if (ArrayBuffer.isView(data)) {
        buf = new FastBuffer(data.buffer, data.byteOffset, data.byteLength);
      } else {
        buf = Buffer.from(data);
        toBuffer.readOnly = false;
      }
      return buf;
    }
    module.exports = {
      concat,
      mask: _mask,
      toArrayBuffer,
      toBuffer,
      unmask: _unmask
    };
    if (websocketMask) {
      module.exports.mask = function(source, mask, output, offset, length) {
        if (length < 24) _mask(source, mask, output, offset, length);
        else websocketMask(source, mask, output, offset, length);
      };
      module.exports.unmask = function(buffer, mask) {
        if (buffer.length < 24) _unmask(buffer, mask);
        else websocketUnmask(buffer, mask);
      };
    } else if (!process.env.WS_NO_BUFFER_UTIL) {
      try {
        const bufferUtil = __require("bufferutil");
        module.exports.mask = function(source, mask, output, offset, length) {
          if (length < 48) _mask(source, mask, output, offset, length);
          else bufferUtil.mask(source, mask, output, offset, length);
        };
        module.exports.unmask = function(buffer, mask) {
          if (buffer.length < 32) _unmask(buffer, mask);
          else bufferUtil.unmask(buffer, mask);
        };
      } catch (e) {
      }
    }
  }
});

// node_modules/ws/lib/limiter.js
var require_limiter = __commonJS({
  "node_modules/ws/lib/limiter.js"(exports, module) {
    "use strict";
    var kDone = /* @__PURE__ */ Symbol("kDone");
    var kRun = /* @__PURE__ */ Symbol("kRun");
    var Limiter = class {
      /**
       * Creates a new `Limiter`.
       *
       * @param {Number} [concurrency=Infinity] The maximum number of jobs allowed
       *     to run concurrently
       */
      constructor(concurrency) {
        this[kDone] = () => {
          this.pending--;
          this[kRun]();
        };
        this.concurrency = concurrency || Infinity;
        this.jobs = [];
        this.pending = 0;
      }
      /**
       * Adds a job to the queue.
       *
       * @param {Function} job The job to run
       * @public
       */
      add(job) {
        this.jobs.push(job);
        this[kRun]();
      }
      /**
       * Removes a job from the queue and runs it if possible.
       *
       * @private
       */
      [kRun]() {
        if (this.pending === this.concurrency) return;
        if (this.jobs.length) {
          const job = this.jobs.shift();
          this.pending++;
          job(this[kDone]);
        }
      }
    };
    module.exports = Limiter;
  }
});

// node_modules/ws/lib/permessage-deflate.js
var require_permessage_deflate = __commonJS({
  "node_modules/ws/lib/permessage-deflate.js"(exports, module) {
    "use strict";
    var zlib2 = __require("zlib");
    var bufferUtil = require_buffer_util();
    var Limiter = require_limiter();
    var { kStatusCode } = require_constants();
    var FastBuffer = Buffer[Symbol.species];
    var TRAILER = Buffer.from([0, 0, 255, 255]);
    var kPerMessageDeflate = /* @__PURE__ */ Symbol("permessage-deflate");
    var kTotalLength = /* @__PURE__ */ Symbol("total-length");
    var kCallback = /* @__PURE__ */ Symbol("callback");
    var kBuffers = /* @__PURE__ */ Symbol("buffers");
    var kError = /* @__PURE__ */ Symbol("error");
    var zlibLimiter;
    var PerMessageDeflate2 = class {
      /**
       * Creates a PerMessageDeflate instance.
       *
       * @param {Object} [options] Configuration options
       * @param {(Boolean|Number)} [options.clientMaxWindowBits] Advertise support
       *     for, or request, a custom client window size
       * @param {Boolean} [options.clientNoContextTakeover=false] Advertise/
       *     acknowledge disabling of client context takeover
       * @param {Number} [options.concurrencyLimit=10] The number of concurrent
       *     calls to zlib
       * @param {Boolean} [options.isServer=false] Create the instance in either
       *     server or client mode
       * @param {Number} [options.maxPayload=0] The maximum allowed message length
       * @param {(Boolean|Number)} [options.serverMaxWindowBits] Request/confirm the
       *     use of a custom server window size
       * @param {Boolean} [options.serverNoContextTakeover=false] Request/accept
       *     disabling of server context takeover
       * @param {Number} [options.threshold=1024] Size (in bytes) below which
       *     messages should not be compressed if context takeover is disabled
       * @param {Object} [options.zlibDeflateOptions] Options to pass to zlib on
       *     deflate
       * @param {Object} [options.zlibInflateOptions] Options to pass to zlib on
       *     inflate
       */
      constructor(options) {
        this._options = options || {};
        this._threshold = this._options.threshold !== void 0 ? this._options.threshold : 1024;
        this._maxPayload = this._options.maxPayload | 0;
        this._isServer = !!this._options.isServer;
        this._deflate = null;
        this._inflate = null;
        this.params = null;
        if (!zlibLimiter) {
          const concurrency = this._options.concurrencyLimit !== void 0 ? this._options.concurrencyLimit : 10;
          zlibLimiter = new Limiter(concurrency);
        }
      }
      /**
       * @type {String}
       */
      static get extensionName() {
        return "permessage-deflate";
      }
      /**
       * Create an extension negotiation offer.
       *
       * @return {Object} Extension parameters
       * @public
       */
      offer() {
        const params = {};
        if (this._options.serverNoContextTakeover) {
          params.server_no_context_takeover = true;
        }
        if (this._options.clientNoContextTakeover) {
          params.client_no_context_takeover = true;
        }
        if (this._options.serverMaxWindowBits) {
          params.server_max_window_bits = this._options.serverMaxWindowBits;
        }
        if (this._options.clientMaxWindowBits) {
          params.client_max_window_bits = this._options.clientMaxWindowBits;
        } else if (this._options.clientMaxWindowBits == null) {
          params.client_max_window_bits = true;
        }
        return params;
      }
      /**
       * Accept an extension negotiation offer/response.
       *
       * @param {Array} configurations The extension negotiation offers/reponse
       * @return {Object} Accepted configuration
       * @public
       */
      accept(configurations) {
        configurations = this.normalizeParams(configurations);
        this.params = this._isServer ? this.acceptAsServer(configurations) : this.acceptAsClient(configurations);
        return this.params;
      }
      /**
       * Releases all resources used by the extension.
       *
       * @public
       */
      cleanup() {
        if (this._inflate) {
          this._inflate.close();
          this._inflate = null;
        }
        if (this._deflate) {
          const callback = this._deflate[kCallback];
          this._deflate.close();
          this._deflate = null;
          if (callback) {
            callback(
              new Error(
                "The deflate stream was closed while data was being processed"
              )
            );
          }
        }
      }
      /**
       *  Accept an extension negotiation offer.
       *
       * @param {Array} offers The extension negotiation offers
       * @return {Object} Accepted configuration
       * @private
       */
      acceptAsServer(offers) {
        const opts = this._options;
        const accepted = offers.find((params) => {
          if (opts.serverNoContextTakeover === false && params.server_no_context_takeover || params.server_max_window_bits && (opts.serverMaxWindowBits === false || typeof opts.serverMaxWindowBits === "number" && opts.serverMaxWindowBits > params.server_max_window_bits) || typeof opts.clientMaxWindowBits === "number" && (typeof params.client_max_window_bits === "number" ? opts.clientMaxWindowBits > params.client_max_window_bits : !params.client_max_window_bits)) {
            return false;
          }
          return true;
        });
        if (!accepted) {
          throw new Error("None of the extension offers can be accepted");
        }
        if (opts.serverNoContextTakeover) {
          accepted.server_no_context_takeover = true;
        }
        if (opts.clientNoContextTakeover) {
          accepted.client_no_context_takeover = true;
        }
        if (typeof opts.serverMaxWindowBits === "number") {
          accepted.server_max_window_bits = opts.serverMaxWindowBits;
        }
        if (typeof opts.clientMaxWindowBits === "number") {
          accepted.client_max_window_bits = opts.clientMaxWindowBits;
        } else if (accepted.client_max_window_bits === true || opts.clientMaxWindowBits === false) {
          delete accepted.client_max_window_bits;
        }
        return accepted;
      }
      /**
       * Accept the extension negotiation response.
       *
       * @param {Array} response The extension negotiation response
       * @return {Object} Accepted configuration
       * @private
       */
      acceptAsClient(response) {
        const params = response[0];
        if (this._options.clientNoContextTakeover === false && params.client_no_context_takeover) {
          throw new Error('Unexpected parameter "client_no_context_takeover"');
        }
        if (!params.client_max_window_bits) {
          if (typeof this._options.clientMaxWindowBits === "number") {
            params.client_max_window_bits = this._options.clientMaxWindowBits;
          }
        } else if (this._options.clientMaxWindowBits === false || typeof this._options.clientMaxWindowBits === "number" && params.client_max_window_bits > this._options.clientMaxWindowBits) {
          throw new Error(
            'Unexpected or invalid parameter "client_max_window_bits"'
          );
        }
        return params;
      }
      /**
       * Normalize parameters.
       *
       * @param {Array} configurations The extension negotiation offers/reponse
       * @return {Array} The offers/response with normalized parameters
       * @private
       */
      normalizeParams(configurations) {
        configurations.forEach((params) => {
          Object.keys(params).forEach((key) => {
            let value = params[key];
            if (value.length > 1) {
              throw new Error(`Parameter "${key}" must have only a single value`);
            }
            value = value[0];
            if (key === "client_max_window_bits") {
              if (value !== true) {
                const num2 = +value;
                if (!Number.isInteger(num2) || num2 < 8 || num2 > 15) {
                  throw new TypeError(
                    `Invalid value for parameter "${key}": ${value}`
                  );
                }
                value = num2;
              } else if (!this._isServer) {
                throw new TypeError(
                  `Invalid value for parameter "${key}": ${value}`
                );
              }
            } else if (key === "server_max_window_bits") {
              const num2 = +value;
              if (!Number.isInteger(num2) || num2 < 8 || num2 > 15) {
                throw new TypeError(
                  `Invalid value for parameter "${key}": ${value}`
                );
              }
              value = num2;
            } else if (key === "client_no_context_takeover" || key === "server_no_context_takeover") {
              if (value !== true) {
                throw new TypeError(
                  `Invalid value for parameter "${key}": ${value}`
                );
              }
            } else {
              throw new Error(`Unknown parameter "${key}"`);
            }
            params[key] = value;
          });
        });
        return configurations;
      }
      /**
       * Decompress data. Concurrency limited.
       *
       * @param {Buffer} data Compressed data
       * @param {Boolean} fin Specifies whether or not this is the last fragment
       * @param {Function} callback Callback
       * @public
       */
      decompress(data, fin, callback) {
        zlibLimiter.add((done) => {
          this._decompress(data, fin, (err2, result) => {
            done();
            callback(err2, result);
          });
        });
      }
      /**
       * Compress data. Concurrency limited.
       *
       * @param {(Buffer|String)} data Data to compress
       * @param {Boolean} fin Specifies whether or not this is the last fragment
       * @param {Function} callback Callback
       * @public
       */
      compress(data, fin, callback) {
        zlibLimiter.add((done) => {
          this._compress(data, fin, (err2, result) => {
            done();
            callback(err2, result);
          });
        });
      }
      /**
       * Decompress data.
       *
       * @param {Buffer} data Compressed data
       * @param {Boolean} fin Specifies whether or not this is the last fragment
       * @param {Function} callback Callback
       * @private
       */
      _decompress(data, fin, callback) {
        const endpoint = this._isServer ? "client" : "server";
        if (!this._inflate) {
          const key = `${endpoint}_max_window_bits`;
          const windowBits = typeof this.params[key] !== "number" ? zlib2.Z_DEFAULT_WINDOWBITS : this.params[key];
          this._inflate = zlib2.createInflateRaw({
            ...this._options.zlibInflateOptions,
            windowBits
          });
          this._inflate[kPerMessageDeflate] = this;
          this._inflate[kTotalLength] = 0;
          this._inflate[kBuffers] = [];
          this._inflate.on("error", inflateOnError);
          this._inflate.on("data", inflateOnData);
        }
        this._inflate[kCallback] = callback;
        this._inflate.write(data);
        if (fin) this._inflate.write(TRAILER);
        this._inflate.flush(() => {
          const err2 = this._inflate[kError];
          if (err2) {
            this._inflate.close();
            this._inflate = null;
            callback(err2);
            return;
          }
          const data2 = bufferUtil.concat(
            this._inflate[kBuffers],
            this._inflate[kTotalLength]
          );
          if (this._inflate._readableState.endEmitted) {
            this._inflate.close();
            this._inflate = null;
          } else {
            this._inflate[kTotalLength] = 0;
            this._inflate[kBuffers] = [];
            if (fin && this.params[`${endpoint}_no_context_takeover`]) {
              this._inflate.reset();
            }
          }
          callback(null, data2);
        });
      }
      /**
       * Compress data.
       *
       * @param {(Buffer|String)} data Data to compress
       * @param {Boolean} fin Specifies whether or not this is the last fragment
       * @param {Function} callback Callback
       * @private
       */
      _compress(data, fin, callback) {
        const endpoint = this._isServer ? "server" : "client";
        if (!this._deflate) {
          const key = `${endpoint}_max_window_bits`;
          const windowBits = typeof this.params[key] !== "number" ? zlib2.Z_DEFAULT_WINDOWBITS : this.params[key];
          this._deflate = zlib2.createDeflateRaw({
            ...this._options.zlibDeflateOptions,
            windowBits
          });
          this._deflate[kTotalLength] = 0;
          this._deflate[kBuffers] = [];
          this._deflate.on("data", deflateOnData);
        }
        this._deflate[kCallback] = callback;
        this._deflate.write(data);
        this._deflate.flush(zlib2.Z_SYNC_FLUSH, () => {
          if (!this._deflate) {
            return;
          }
          let data2 = bufferUtil.concat(
            this._deflate[kBuffers],
            this._deflate[kTotalLength]
          );
          if (fin) {
            data2 = new FastBuffer(data2.buffer, data2.byteOffset, data2.length - 4);
          }
          this._deflate[kCallback] = null;
          this._deflate[kTotalLength] = 0;
          this._deflate[kBuffers] = [];
          if (fin && this.params[`${endpoint}_no_context_takeover`]) {
            this._deflate.reset();
          }
          callback(null, data2);
        });
      }
    };
    module.exports = PerMessageDeflate2;
    function deflateOnData(chunk) {
      this[kBuffers].push(chunk);
      this[kTotalLength] += chunk.length;
    }
    function inflateOnData(chunk) {
      this[kTotalLength] += chunk.length;
      if (this[kPerMessageDeflate]._maxPayload < 1 || this[kTotalLength] <= this[kPerMessageDeflate]._maxPayload) {
        this[kBuffers].push(chunk);
        return;
      }
      this[kError] = new RangeError("Max payload size exceeded");
      this[kError].code = "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH";
      this[kError][kStatusCode] = 1009;
      this.removeListener("data", inflateOnData);
      this.reset();
    }
    function inflateOnError(err2) {
      this[kPerMessageDeflate]._inflate = null;
      if (this[kError]) {
        this[kCallback](this[kError]);
        return;
      }
      err2[kStatusCode] = 1007;
      this[kCallback](err2);
    }
  }
});

// node_modules/ws/lib/validation.js
var require_validation = __commonJS({
  "node_modules/ws/lib/validation.js"(exports, module) {
    "use strict";
    var { isUtf8 } = __require("buffer");
    var { hasBlob } = require_constants();
    var tokenChars = [
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      // 0 - 15
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      // 16 - 31
      0,
      1,
      0,
      1,
      1,
      1,
      1,
      1,
      0,
      0,
      1,
      1,
      0,
      1,
      1,
      0,
      // 32 - 47
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      // 48 - 63
      0,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      // 64 - 79
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      0,
      0,
      0,
      1,
      1,
      // 80 - 95
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      // 96 - 111
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      0,
      1,
      0,
      1,
      0
      // 112 - 127
    ];
    function isValidStatusCode(code) {
      return code >= 1e3 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006 || code >= 3e3 && code <= 4999;
    }
    function _isValidUTF8(buf) {
      const len = buf.length;
      let i = 0;
      while (i < len) {
        if ((buf[i] & 128) === 0) {
          i++;
        } else if ((buf[i] & 224) === 192) {
          if (i + 1 === len || (buf[i + 1] & 192) !== 128 || (buf[i] & 254) === 192) {
            return false;
          }
          i += 2;
        } else if ((buf[i] & 240) === 224) {
          if (i + 2 >= len || (buf[i + 1] & 192) !== 128 || (buf[i + 2] & 192) !== 128 || buf[i] === 224 && (buf[i + 1] & 224) === 128 || // Overlong
          buf[i] === 237 && (buf[i + 1] & 224) === 160) {
            return false;
          }
          i += 3;
        } else if ((buf[i] & 248) === 240) {
          if (i + 3 >= len || (buf[i + 1] & 192) !== 128 || (buf[i + 2] & 192) !== 128 || (buf[i + 3] & 192) !== 128 || buf[i] === 240 && (buf[i + 1] & 240) === 128 || // Overlong
          buf[i] === 244 && buf[i + 1] > 143 || buf[i] > 244) {
            return false;
          }
          i += 4;
        } else {
          return false;
        }
      }
      return true;
    }
    function isBlob(value) {
      return hasBlob && typeof value === "object" && typeof value.arrayBuffer === "function" && typeof value.type === "string" && typeof value.stream === "function" && (value[Symbol.toStringTag] === "Blob" || value[Symbol.toStringTag] === "File");
    }
    module.exports = {
      isBlob,
      isValidStatusCode,
      isValidUTF8: _isValidUTF8,
      tokenChars
    };
    if (isUtf8) {
      module.exports.isValidUTF8 = function(buf) {
        return buf.length < 24 ? _isValidUTF8(buf) : isUtf8(buf);
      };
    } else if (!process.env.WS_NO_UTF_8_VALIDATE) {
      try {
        const isValidUTF8 = __require("utf-8-validate");
        module.exports.isValidUTF8 = function(buf) {
          return buf.length < 32 ? _isValidUTF8(buf) : isValidUTF8(buf);
        };
      } catch (e) {
      }
    }
  }
});

// node_modules/ws/lib/receiver.js
var require_receiver = __commonJS({
  "node_modules/ws/lib/receiver.js"(exports, module) {
    "use strict";
    var { Writable } = __require("stream");
    var PerMessageDeflate2 = require_permessage_deflate();
    var {
      BINARY_TYPES,
      EMPTY_BUFFER,
      kStatusCode,
      kWebSocket
    } = require_constants();
    var { concat, toArrayBuffer, unmask } = require_buffer_util();
    var { isValidStatusCode, isValidUTF8 } = require_validation();
    var FastBuffer = Buffer[Symbol.species];
    var GET_INFO = 0;
    var GET_PAYLOAD_LENGTH_16 = 1;
    var GET_PAYLOAD_LENGTH_64 = 2;
    var GET_MASK = 3;
    var GET_DATA = 4;
    var INFLATING = 5;
    var DEFER_EVENT = 6;
    var Receiver2 = class extends Writable {
      /**
       * Creates a Receiver instance.
       *
       * @param {Object} [options] Options object
       * @param {Boolean} [options.allowSynchronousEvents=true] Specifies whether
       *     any of the `'message'`, `'ping'`, and `'pong'` events can be emitted
       *     multiple times in the same tick
       * @param {String} [options.binaryType=nodebuffer] The type for binary data
       * @param {Object} [options.extensions] An object containing the negotiated
       *     extensions
       * @param {Boolean} [options.isServer=false] Specifies whether to operate in
       *     client or server mode
       * @param {Number} [options.maxBufferedChunks=0] The maximum number of
       *     buffered data chunks
       * @param {Number} [options.maxFragments=0] The maximum number of message
       *     fragments
       * @param {Number} [options.maxPayload=0] The maximum allowed message length
       * @param {Boolean} [options.skipUTF8Validation=false] Specifies whether or
       *     not to skip UTF-8 validation for text and close messages
       */
      constructor(options = {}) {
        super();
        this._allowSynchronousEvents = options.allowSynchronousEvents !== void 0 ? options.allowSynchronousEvents : true;
        this._binaryType = options.binaryType || BINARY_TYPES[0];
        this._extensions = options.extensions || {};
        this._isServer = !!options.isServer;
        this._maxBufferedChunks = options.maxBufferedChunks | 0;
        this._maxFragments = options.maxFragments | 0;
        this._maxPayload = options.maxPayload | 0;
        this._skipUTF8Validation = !!options.skipUTF8Validation;
        this[kWebSocket] = void 0;
        this._bufferedBytes = 0;
        this._buffers = [];
        this._compressed = false;
        this._payloadLength = 0;
        this._mask = void 0;
        this._fragmented = 0;
        this._masked = false;
        this._fin = false;
        this._opcode = 0;
        this._totalPayloadLength = 0;
        this._messageLength = 0;
        this._numFragments = 0;
        this._fragments = [];
        this._errored = false;
        this._loop = false;
        this._state = GET_INFO;
      }
      /**
       * Implements `Writable.prototype._write()`.
       *
       * @param {Buffer} chunk The chunk of data to write
       * @param {String} encoding The character encoding of `chunk`
       * @param {Function} cb Callback
       * @private
       */
      _write(chunk, encoding, cb) {
        if (this._opcode === 8 && this._state == GET_INFO) return cb();
        if (this._maxBufferedChunks > 0 && this._buffers.length >= this._maxBufferedChunks) {
          cb(
            this.createError(
              RangeError,
              "Too many buffered chunks",
              false,
              1008,
              "WS_ERR_TOO_MANY_BUFFERED_PARTS"
            )
          );
          return;
        }
        this._bufferedBytes += chunk.length;
        this._buffers.push(chunk);
        this.startLoop(cb);
      }
      /**
       * Consumes `n` bytes from the buffered data.
       *
       * @param {Number} n The number of bytes to consume
       * @return {Buffer} The consumed bytes
       * @private
       */
      consume(n) {
        this._bufferedBytes -= n;
        if (n === this._buffers[0].length) return this._buffers.shift();
        if (n < this._buffers[0].length) {
          const buf = this._buffers[0];
          this._buffers[0] = new FastBuffer(
            buf.buffer,
            buf.byteOffset + n,
            buf.length - n
          );
          return new FastBuffer(buf.buffer, buf.byteOffset, n);
        }
        const dst = Buffer.allocUnsafe(n);
        do {
          const buf = this._buffers[0];
          const offset = dst.length - n;
          if (n >= buf.length) {
            dst.set(this._buffers.shift(), offset);
          } else {
            dst.set(new Uint8Array(buf.buffer, buf.byteOffset, n), offset);
            this._buffers[0] = new FastBuffer(
              buf.buffer,
              buf.byteOffset + n,
              buf.length - n
            );
          }
          n -= buf.length;
        } while (n > 0);
        return dst;
      }
      /**
       * Starts the parsing loop.
       *
       * @param {Function} cb Callback
       * @private
       */
      startLoop(cb) {
        this._loop = true;
        do {
          switch (this._state) {
            case GET_INFO:
              this.getInfo(cb);
              break;
            case GET_PAYLOAD_LENGTH_16:
              this.getPayloadLength16(cb);
              break;
            case GET_PAYLOAD_LENGTH_64:
              this.getPayloadLength64(cb);
              break;
            case GET_MASK:
              this.getMask();
              break;
            case GET_DATA:
              this.getData(cb);
              break;
            case INFLATING:
            case DEFER_EVENT:
              this._loop = false;
              return;
          }
        } while (this._loop);
        if (!this._errored) cb();
      }
      /**
       * Reads the first two bytes of a frame.
       *
       * @param {Function} cb Callback
       * @private
       */
      getInfo(cb) {
        if (this._bufferedBytes < 2) {
          this._loop = false;
          return;
        }
        const buf = this.consume(2);
        if ((buf[0] & 48) !== 0) {
          const error = this.createError(
            RangeError,
            "RSV2 and RSV3 must be clear",
            true,
            1002,
            "WS_ERR_UNEXPECTED_RSV_2_3"
          );
          cb(error);
          return;
        }
        const compressed = (buf[0] & 64) === 64;
        if (compressed && !this._extensions[PerMessageDeflate2.extensionName]) {
          const error = this.createError(
            RangeError,
            "RSV1 must be clear",
            true,
            1002,
            "WS_ERR_UNEXPECTED_RSV_1"
          );
          cb(error);
          return;
        }
        this._fin = (buf[0] & 128) === 128;
        this._opcode = buf[0] & 15;
        this._payloadLength = buf[1] & 127;
        if (this._opcode === 0) {
          if (compressed) {
            const error = this.createError(
              RangeError,
              "RSV1 must be clear",
              true,
              1002,
              "WS_ERR_UNEXPECTED_RSV_1"
            );
            cb(error);
            return;
          }
          if (!this._fragmented) {
            const error = this.createError(
              RangeError,
              "invalid opcode 0",
              true,
              1002,
              "WS_ERR_INVALID_OPCODE"
            );
            cb(error);
            return;
          }
          this._opcode = this._fragmented;
        } else if (this._opcode === 1 || this._opcode === 2) {
          if (this._fragmented) {
            const error = this.createError(
              RangeError,
              `invalid opcode ${this._opcode}`,
              true,
              1002,
              "WS_ERR_INVALID_OPCODE"
            );
            cb(error);
            return;
          }
          this._compressed = compressed;
        } else if (this._opcode > 7 && this._opcode < 11) {
          if (!this._fin) {
            const error = this.createError(
              RangeError,
              "FIN must be set",
              true,
              1002,
              "WS_ERR_EXPECTED_FIN"
            );
            cb(error);
            return;
          }
          if (compressed) {
            const error = this.createError(
              RangeError,
              "RSV1 must be clear",
              true,
              1002,
              "WS_ERR_UNEXPECTED_RSV_1"
            );
            cb(error);
            return;
          }
          if (this._payloadLength > 125 || this._opcode === 8 && this._payloadLength === 1) {
            const error = this.createError(
              RangeError,
              `invalid payload length ${this._payloadLength}`,
              true,
              1002,
              "WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH"
            );
            cb(error);
            return;
          }
        } else {
          const error = this.createError(
            RangeError,
            `invalid opcode ${this._opcode}`,
            true,
            1002,
            "WS_ERR_INVALID_OPCODE"
          );
          cb(error);
          return;
        }
        if (!this._fin && !this._fragmented) this._fragmented = this._opcode;
        this._masked = (buf[1] & 128) === 128;
        if (this._isServer) {
          if (!this._masked) {
            const error = this.createError(
              RangeError,
              "MASK must be set",
              true,
              1002,
              "WS_ERR_EXPECTED_MASK"
            );
            cb(error);
            return;
          }
        } else if (this._masked) {
          const error = this.createError(
            RangeError,
            "MASK must be clear",
            true,
            1002,
            "WS_ERR_UNEXPECTED_MASK"
          );
          cb(error);
          return;
        }
        if (this._payloadLength === 126) this._state = GET_PAYLOAD_LENGTH_16;
        else if (this._payloadLength === 127) this._state = GET_PAYLOAD_LENGTH_64;
        else this.haveLength(cb);
      }
      /**
       * Gets extended payload length (7+16).
       *
       * @param {Function} cb Callback
       * @private
       */
      getPayloadLength16(cb) {
        if (this._bufferedBytes < 2) {
          this._loop = false;
          return;
        }
        this._payloadLength = this.consume(2).readUInt16BE(0);
        this.haveLength(cb);
      }
      /**
       * Gets extended payload length (7+64).
       *
       * @param {Function} cb Callback
       * @private
       */
      getPayloadLength64(cb) {
        if (this._bufferedBytes < 8) {
          this._loop = false;
          return;
        }
        const buf = this.consume(8);
        const num2 = buf.readUInt32BE(0);
        if (num2 > Math.pow(2, 53 - 32) - 1) {
          const error = this.createError(
            RangeError,
            "Unsupported WebSocket frame: payload length > 2^53 - 1",
            false,
            1009,
            "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH"
          );
          cb(error);
          return;
        }
        this._payloadLength = num2 * Math.pow(2, 32) + buf.readUInt32BE(4);
        this.haveLength(cb);
      }
      /**
       * Payload length has been read.
       *
       * @param {Function} cb Callback
       * @private
       */
      haveLength(cb) {
        if (this._payloadLength && this._opcode < 8) {
          this._totalPayloadLength += this._payloadLength;
          if (this._totalPayloadLength > this._maxPayload && this._maxPayload > 0) {
            const error = this.createError(
              RangeError,
              "Max payload size exceeded",
              false,
              1009,
              "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH"
            );
            cb(error);
            return;
          }
        }
        if (this._masked) this._state = GET_MASK;
        else this._state = GET_DATA;
      }
      /**
       * Reads mask bytes.
       *
       * @private
       */
      getMask() {
        if (this._bufferedBytes < 4) {
          this._loop = false;
          return;
        }
        this._mask = this.consume(4);
        this._state = GET_DATA;
      }
      /**
       * Reads data bytes.
       *
       * @param {Function} cb Callback
       * @private
       */
      getData(cb) {
        let data = EMPTY_BUFFER;
        if (this._payloadLength) {
          if (this._bufferedBytes < this._payloadLength) {
            this._loop = false;
            return;
          }
          data = this.consume(this._payloadLength);
          if (this._masked && (this._mask[0] | this._mask[1] | this._mask[2] | this._mask[3]) !== 0) {
            unmask(data, this._mask);
          }
        }
        this._mask = void 0;
        if (this._opcode > 7) {
          this.controlMessage(data, cb);
          return;
        }
        if (this._maxFragments > 0 && ++this._numFragments > this._maxFragments) {
          const error = this.createError(
            RangeError,
            "Too many message fragments",
            false,
            1008,
            "WS_ERR_TOO_MANY_BUFFERED_PARTS"
          );
          cb(error);
          return;
        }
        if (this._compressed) {
          this._state = INFLATING;
          this.decompress(data, cb);
          return;
        }
        if (data.length) {
          this._messageLength = this._totalPayloadLength;
          this._fragments.push(data);
        }
        this.dataMessage(cb);
      }
      /**
       * Decompresses data.
       *
       * @param {Buffer} data Compressed data
       * @param {Function} cb Callback
       * @private
       */
      decompress(data, cb) {
        const perMessageDeflate = this._extensions[PerMessageDeflate2.extensionName];
        perMessageDeflate.decompress(data, this._fin, (err2, buf) => {
          if (err2) return cb(err2);
          if (buf.length) {
            this._messageLength += buf.length;
            if (this._messageLength > this._maxPayload && this._maxPayload > 0) {
              const error = this.createError(
                RangeError,
                "Max payload size exceeded",
                false,
                1009,
                "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH"
              );
              cb(error);
              return;
            }
            this._fragments.push(buf);
          }
          this.dataMessage(cb);
          if (this._state === GET_INFO) this.startLoop(cb);
        });
      }
      /**
       * Handles a data message.
       *
       * @param {Function} cb Callback
       * @private
       */
      dataMessage(cb) {
        if (!this._fin) {
          this._state = GET_INFO;
          return;
        }
        const messageLength = this._messageLength;
        const fragments = this._fragments;
        this._totalPayloadLength = 0;
        this._messageLength = 0;
        this._fragmented = 0;
        this._numFragments = 0;
        this._fragments = [];
        if (this._opcode === 2) {
          let data;
          if (this._binaryType === "nodebuffer") {
            data = concat(fragments, messageLength);
          } else if (this._binaryType === "arraybuffer") {
            data = toArrayBuffer(concat(fragments, messageLength));
          } else if (this._binaryType === "blob") {
            data = new Blob(fragments);
          } else {
            data = fragments;
          }
          if (this._allowSynchronousEvents) {
            this.emit("message", data, true);
            this._state = GET_INFO;
          } else {
            this._state = DEFER_EVENT;
            setImmediate(() => {
              this.emit("message", data, true);
              this._state = GET_INFO;
              this.startLoop(cb);
            });
          }
        } else {
          const buf = concat(fragments, messageLength);
          if (!this._skipUTF8Validation && !isValidUTF8(buf)) {
            const error = this.createError(
              Error,
              "invalid UTF-8 sequence",
              true,
              1007,
              "WS_ERR_INVALID_UTF8"
            );
            cb(error);
            return;
          }
          if (this._state === INFLATING || this._allowSynchronousEvents) {
            this.emit("message", buf, false);
            this._state = GET_INFO;
          } else {
            this._state = DEFER_EVENT;
            setImmediate(() => {
              this.emit("message", buf, false);
              this._state = GET_INFO;
              this.startLoop(cb);
            });
          }
        }
      }
      /**
       * Handles a control message.
       *
       * @param {Buffer} data Data to handle
       * @return {(Error|RangeError|undefined)} A possible error
       * @private
       */
      controlMessage(data, cb) {
        if (this._opcode === 8) {
          if (data.length === 0) {
            this._loop = false;
            this.emit("conclude", 1005, EMPTY_BUFFER);
            this.end();
          } else {
            const code = data.readUInt16BE(0);
            if (!isValidStatusCode(code)) {
              const error = this.createError(
                RangeError,
                `invalid status code ${code}`,
                true,
                1002,
                "WS_ERR_INVALID_CLOSE_CODE"
              );
              cb(error);
              return;
            }
            const buf = new FastBuffer(
              data.buffer,
              data.byteOffset + 2,
              data.length - 2
            );
            if (!this._skipUTF8Validation && !isValidUTF8(buf)) {
              const error = this.createError(
                Error,
                "invalid UTF-8 sequence",
                true,
                1007,
                "WS_ERR_INVALID_UTF8"
              );
              cb(error);
              return;
            }
            this._loop = false;
            this.emit("conclude", code, buf);
            this.end();
          }
          this._state = GET_INFO;
          return;
        }
        if (this._allowSynchronousEvents) {
          this.emit(this._opcode === 9 ? "ping" : "pong", data);
          this._state = GET_INFO;
        } else {
          this._state = DEFER_EVENT;
          setImmediate(() => {
            this.emit(this._opcode === 9 ? "ping" : "pong", data);
            this._state = GET_INFO;
            this.startLoop(cb);
          });
        }
      }
      /**
       * Builds an error object.
       *
       * @param {function(new:Error|RangeError)} ErrorCtor The error constructor
       * @param {String} message The error message
       * @param {Boolean} prefix Specifies whether or not to add a default prefix to
       *     `message`
       * @param {Number} statusCode The status code
       * @param {String} errorCode The exposed error code
       * @return {(Error|RangeError)} The error
       * @private
       */
      createError(ErrorCtor, message, prefix, statusCode, errorCode) {
        this._loop = false;
        this._errored = true;
        const err2 = new ErrorCtor(
          prefix ? `Invalid WebSocket frame: ${message}` : message
        );
        Error.captureStackTrace(err2, this.createError);
        err2.code = errorCode;
        err2[kStatusCode] = statusCode;
        return err2;
      }
    };
    module.exports = Receiver2;
  }
});

// node_modules/ws/lib/sender.js
var require_sender = __commonJS({
  "node_modules/ws/lib/sender.js"(exports, module) {
    "use strict";
    var { Duplex } = __require("stream");
    var { randomFillSync } = __require("crypto");
    var {
      types: { isUint8Array }
    } = __require("util");
    var PerMessageDeflate2 = require_permessage_deflate();
    var { EMPTY_BUFFER, kWebSocket, NOOP } = require_constants();
    var { isBlob, isValidStatusCode } = require_validation();
    var { mask: applyMask, toBuffer } = require_buffer_util();
    var kByteLength = /* @__PURE__ */ Symbol("kByteLength");
    var maskBuffer = Buffer.alloc(4);
    var RANDOM_POOL_SIZE = 8 * 1024;
    var randomPool;
    var randomPoolPointer = RANDOM_POOL_SIZE;
    var DEFAULT = 0;
    var DEFLATING = 1;
    var GET_BLOB_DATA = 2;
    var Sender2 = class _Sender {
      /**
       * Creates a Sender instance.
       *
       * @param {Duplex} socket The connection socket
       * @param {Object} [extensions] An object containing the negotiated extensions
       * @param {Function} [generateMask] The function used to generate the masking
       *     key
       */
      constructor(socket, extensions, generateMask) {
        this._extensions = extensions || {};
        if (generateMask) {
          this._generateMask = generateMask;
          this._maskBuffer = Buffer.alloc(4);
        }
        this._socket = socket;
        this._firstFragment = true;
        this._compress = false;
        this._bufferedBytes = 0;
        this._queue = [];
        this._state = DEFAULT;
        this.onerror = NOOP;
        this[kWebSocket] = void 0;
      }
      /**
       * Frames a piece of data according to the HyBi WebSocket protocol.
       *
       * @param {(Buffer|String)} data The data to frame
       * @param {Object} options Options object
       * @param {Boolean} [options.fin=false] Specifies whether or not to set the
       *     FIN bit
       * @param {Function} [options.generateMask] The function used to generate the
       *     masking key
       * @param {Boolean} [options.mask=false] Specifies whether or not to mask
       *     `data`
       * @param {Buffer} [options.maskBuffer] The buffer used to store the masking
       *     key
       * @param {Number} options.opcode The opcode
       * @param {Boolean} [options.readOnly=false] Specifies whether `data` can be
       *     modified
       * @param {Boolean} [options.rsv1=false] Specifies whether or not to set the
       *     RSV1 bit
       * @return {(Buffer|String)[]} The framed data
       * @public
       */
      static frame(data, options) {
        let mask;
        let merge = false;
        let offset = 2;
        let skipMasking = false;
        if (options.mask) {
          mask = options.maskBuffer || maskBuffer;
          if (options.generateMask) {
            options.generateMask(mask);
          } else {
            if (randomPoolPointer === RANDOM_POOL_SIZE) {
              if (randomPool === void 0) {
                randomPool = Buffer.alloc(RANDOM_POOL_SIZE);
              }
              randomFillSync(randomPool, 0, RANDOM_POOL_SIZE);
              randomPoolPointer = 0;
            }
            mask[0] = randomPool[randomPoolPointer++];
            mask[1] = randomPool[randomPoolPointer++];
            mask[2] = randomPool[randomPoolPointer++];
            mask[3] = randomPool[randomPoolPointer++];
          }
          skipMasking = (mask[0] | mask[1] | mask[2] | mask[3]) === 0;
          offset = 6;
        }
        let dataLength;
        if (typeof data === "string") {
          if ((!options.mask || skipMasking) && options[kByteLength] !== void 0) {
            dataLength = options[kByteLength];
          } else {
            data = Buffer.from(data);
            dataLength = data.length;
          }
        } else {
          dataLength = data.length;
          merge = options.mask && options.readOnly && !skipMasking;
        }
        let payloadLength = dataLength;
        if (dataLength >= 65536) {
          offset += 8;
          payloadLength = 127;
        } else if (dataLength > 125) {
          offset += 2;
          payloadLength = 126;
        }
        const target = Buffer.allocUnsafe(merge ? dataLength + offset : offset);
        target[0] = options.fin ? options.opcode | 128 : options.opcode;
        if (options.rsv1) target[0] |= 64;
        target[1] = payloadLength;
        if (payloadLength === 126) {
          target.writeUInt16BE(dataLength, 2);
        } else if (payloadLength === 127) {
          target[2] = target[3] = 0;
          target.writeUIntBE(dataLength, 4, 6);
        }
        if (!options.mask) {
          return dataLength ? [target, data] : [target];
        }
        target[1] |= 128;
        target[offset - 4] = mask[0];
        target[offset - 3] = mask[1];
        target[offset - 2] = mask[2];
        target[offset - 1] = mask[3];
        if (!dataLength) return [target];
        if (skipMasking) return [target, data];
        if (merge) {
          applyMask(data, mask, target, offset, dataLength);
          return [target];
        }
        applyMask(data, mask, data, 0, dataLength);
        return [target, data];
      }
      /**
       * Sends a close message to the other peer.
       *
       * @param {Number} [code] The status code component of the body
       * @param {(String|Buffer)} [data] The message component of the body
       * @param {Boolean} [mask=false] Specifies whether or not to mask the message
       * @param {Function} [cb] Callback
       * @public
       */
      close(code, data, mask, cb) {
        let buf;
        if (code === void 0) {
          buf = EMPTY_BUFFER;
        } else if (typeof code !== "number" || !isValidStatusCode(code)) {
          throw new TypeError("First argument must be a valid error code number");
        } else if (data === void 0 || !data.length) {
          buf = Buffer.allocUnsafe(2);
          buf.writeUInt16BE(code, 0);
        } else {
          const length = Buffer.byteLength(data);
          if (length > 123) {
            throw new RangeError("The message must not be greater than 123 bytes");
          }
          buf = Buffer.allocUnsafe(2 + length);
          buf.writeUInt16BE(code, 0);
          if (typeof data === "string") {
            buf.write(data, 2);
          } else if (isUint8Array(data)) {
            buf.set(data, 2);
          } else {
            throw new TypeError("Second argument must be a string or a Uint8Array");
          }
        }
        const options = {
          [kByteLength]: buf.length,
          fin: true,
          generateMask: this._generateMask,
          mask,
          maskBuffer: this._maskBuffer,
          opcode: 8,
          readOnly: false,
          rsv1: false
        };
        if (this._state !== DEFAULT) {
          this.enqueue([this.dispatch, buf, false, options, cb]);
        } else {
          this.sendFrame(_Sender.frame(buf, options), cb);
        }
      }
      /**
       * Sends a ping message to the other peer.
       *
       * @param {*} data The message to send
       * @param {Boolean} [mask=false] Specifies whether or not to mask `data`
       * @param {Function} [cb] Callback
       * @public
       */
      ping(data, mask, cb) {
        let byteLength;
        let readOnly;
        if (typeof data === "string") {
          byteLength = Buffer.byteLength(data);
          readOnly = false;
        } else if (isBlob(data)) {
          byteLength = data.size;
          readOnly = false;
        } else {
          data = toBuffer(data);
          byteLength = data.length;
          readOnly = toBuffer.readOnly;
        }
        if (byteLength > 125) {
          throw new RangeError("The data size must not be greater than 125 bytes");
        }
        const options = {
          [kByteLength]: byteLength,
          fin: true,
          generateMask: this._generateMask,
          mask,
          maskBuffer: this._maskBuffer,
          opcode: 9,
          readOnly,
          rsv1: false
        };
        if (isBlob(data)) {
          if (this._state !== DEFAULT) {
            this.enqueue([this.getBlobData, data, false, options, cb]);
          } else {
            this.getBlobData(data, false, options, cb);
          }
        } else if (this._state !== DEFAULT) {
          this.enqueue([this.dispatch, data, false, options, cb]);
        } else {
          this.sendFrame(_Sender.frame(data, options), cb);
        }
      }
      /**
       * Sends a pong message to the other peer.
       *
       * @param {*} data The message to send
       * @param {Boolean} [mask=false] Specifies whether or not to mask `data`
       * @param {Function} [cb] Callback
       * @public
       */
      pong(data, mask, cb) {
        let byteLength;
        let readOnly;
        if (typeof data === "string") {
          byteLength = Buffer.byteLength(data);
          readOnly = false;
        } else if (isBlob(data)) {
          byteLength = data.size;
          readOnly = false;
        } else {
          data = toBuffer(data);
          byteLength = data.length;
          readOnly = toBuffer.readOnly;
        }
        if (byteLength > 125) {
          throw new RangeError("The data size must not be greater than 125 bytes");
        }
        const options = {
          [kByteLength]: byteLength,
          fin: true,
          generateMask: this._generateMask,
          mask,
          maskBuffer: this._maskBuffer,
          opcode: 10,
          readOnly,
          rsv1: false
        };
        if (isBlob(data)) {
          if (this._state !== DEFAULT) {
            this.enqueue([this.getBlobData, data, false, options, cb]);
          } else {
            this.getBlobData(data, false, options, cb);
          }
        } else if (this._state !== DEFAULT) {
          this.enqueue([this.dispatch, data, false, options, cb]);
        } else {
          this.sendFrame(_Sender.frame(data, options), cb);
        }
      }
      /**
       * Sends a data message to the other peer.
       *
       * @param {*} data The message to send
       * @param {Object} options Options object
       * @param {Boolean} [options.binary=false] Specifies whether `data` is binary
       *     or text
       * @param {Boolean} [options.compress=false] Specifies whether or not to
       *     compress `data`
       * @param {Boolean} [options.fin=false] Specifies whether the fragment is the
       *     last one
       * @param {Boolean} [options.mask=false] Specifies whether or not to mask
       *     `data`
       * @param {Function} [cb] Callback
       * @public
       */
      send(data, options, cb) {
        const perMessageDeflate = this._extensions[PerMessageDeflate2.extensionName];
        let opcode = options.binary ? 2 : 1;
        let rsv1 = options.compress;
        let byteLength;
        let readOnly;
        if (typeof data === "string") {
          byteLength = Buffer.byteLength(data);
          readOnly = false;
        } else if (isBlob(data)) {
          byteLength = data.size;
          readOnly = false;
        } else {
          data = toBuffer(data);
          byteLength = data.length;
          readOnly = toBuffer.readOnly;
        }
        if (this._firstFragment) {
          this._firstFragment = false;
          if (rsv1 && perMessageDeflate && perMessageDeflate.params[perMessageDeflate._isServer ? "server_no_context_takeover" : "client_no_context_takeover"]) {
            rsv1 = byteLength >= perMessageDeflate._threshold;
          }
          this._compress = rsv1;
        } else {
          rsv1 = false;
          opcode = 0;
        }
        if (options.fin) this._firstFragment = true;
        const opts = {
          [kByteLength]: byteLength,
          fin: options.fin,
          generateMask: this._generateMask,
          mask: options.mask,
          maskBuffer: this._maskBuffer,
          opcode,
          readOnly,
          rsv1
        };
        if (isBlob(data)) {
          if (this._state !== DEFAULT) {
            this.enqueue([this.getBlobData, data, this._compress, opts, cb]);
          } else {
            this.getBlobData(data, this._compress, opts, cb);
          }
        } else if (this._state !== DEFAULT) {
          this.enqueue([this.dispatch, data, this._compress, opts, cb]);
        } else {
          this.dispatch(data, this._compress, opts, cb);
        }
      }
      /**
       * Gets the contents of a blob as binary data.
       *
       * @param {Blob} blob The blob
       * @param {Boolean} [compress=false] Specifies whether or not to compress
       *     the data
       * @param {Object} options Options object
       * @param {Boolean} [options.fin=false] Specifies whether or not to set the
       *     FIN bit
       * @param {Function} [options.generateMask] The function used to generate the
       *     masking key
       * @param {Boolean} [options.mask=false] Specifies whether or not to mask
       *     `data`
       * @param {Buffer} [options.maskBuffer] The buffer used to store the masking
       *     key
       * @param {Number} options.opcode The opcode
       * @param {Boolean} [options.readOnly=false] Specifies whether `data` can be
       *     modified
       * @param {Boolean} [options.rsv1=false] Specifies whether or not to set the
       *     RSV1 bit
       * @param {Function} [cb] Callback
       * @private
       */
      getBlobData(blob, compress, options, cb) {
        this._bufferedBytes += options[kByteLength];
        this._state = GET_BLOB_DATA;
        blob.arrayBuffer().then((arrayBuffer) => {
          if (this._socket.destroyed) {
            const err2 = new Error(
              "The socket was closed while the blob was being read"
            );
            process.nextTick(callCallbacks, this, err2, cb);
            return;
          }
          this._bufferedBytes -= options[kByteLength];
          const data = toBuffer(arrayBuffer);
          if (!compress) {
            this._state = DEFAULT;
            this.sendFrame(_Sender.frame(data, options), cb);
            this.dequeue();
          } else {
            this.dispatch(data, compress, options, cb);
          }
        }).catch((err2) => {
          process.nextTick(onError, this, err2, cb);
        });
      }
      /**
       * Dispatches a message.
       *
       * @param {(Buffer|String)} data The message to send
       * @param {Boolean} [compress=false] Specifies whether or not to compress
       *     `data`
       * @param {Object} options Options object
       * @param {Boolean} [options.fin=false] Specifies whether or not to set the
       *     FIN bit
       * @param {Function} [options.generateMask] The function used to generate the
       *     masking key
       * @param {Boolean} [options.mask=false] Specifies whether or not to mask
       *     `data`
       * @param {Buffer} [options.maskBuffer] The buffer used to store the masking
       *     key
       * @param {Number} options.opcode The opcode
       * @param {Boolean} [options.readOnly=false] Specifies whether `data` can be
       *     modified
       * @param {Boolean} [options.rsv1=false] Specifies whether or not to set the
       *     RSV1 bit
       * @param {Function} [cb] Callback
       * @private
       */
      dispatch(data, compress, options, cb) {
        if (!compress) {
          this.sendFrame(_Sender.frame(data, options), cb);
          return;
        }
        const perMessageDeflate = this._extensions[PerMessageDeflate2.extensionName];
        this._bufferedBytes += options[kByteLength];
        this._state = DEFLATING;
        perMessageDeflate.compress(data, options.fin, (_, buf) => {
          if (this._socket.destroyed) {
            const err2 = new Error(
              "The socket was closed while data was being compressed"
            );
            callCallbacks(this, err2, cb);
            return;
          }
          this._bufferedBytes -= options[kByteLength];
          this._state = DEFAULT;
          options.readOnly = false;
          this.sendFrame(_Sender.frame(buf, options), cb);
          this.dequeue();
        });
      }
      /**
       * Executes queued send operations.
       *
       * @private
       */
      dequeue() {
        while (this._state === DEFAULT && this._queue.length) {
          const params = this._queue.shift();
          this._bufferedBytes -= params[3][kByteLength];
          Reflect.apply(params[0], this, params.slice(1));
        }
      }
      /**
       * Enqueues a send operation.
       *
       * @param {Array} params Send operation parameters.
       * @private
       */
      enqueue(params) {
        this._bufferedBytes += params[3][kByteLength];
        this._queue.push(params);
      }
      /**
       * Sends a frame.
       *
       * @param {(Buffer | String)[]} list The frame to send
       * @param {Function} [cb] Callback
       * @private
       */
      sendFrame(list, cb) {
        if (list.length === 2) {
          this._socket.cork();
          this._socket.write(list[0]);
          this._socket.write(list[1], cb);
          this._socket.uncork();
        } else {
          this._socket.write(list[0], cb);
        }
      }
    };
    module.exports = Sender2;
    function callCallbacks(sender, err2, cb) {
      if (typeof cb === "function") cb(err2);
      for (let i = 0; i < sender._queue.length; i++) {
        const params = sender._queue[i];
        const callback = params[params.length - 1];
        if (typeof callback === "function") callback(err2);
      }
    }
    function onError(sender, err2, cb) {
      callCallbacks(sender, err2, cb);
      sender.onerror(err2);
    }
  }
});

// node_modules/ws/lib/event-target.js
var require_event_target = __commonJS({
  "node_modules/ws/lib/event-target.js"(exports, module) {
    "use strict";
    var { kForOnEventAttribute, kListener } = require_constants();
    var kCode = /* @__PURE__ */ Symbol("kCode");
    var kData = /* @__PURE__ */ Symbol("kData");
    var kError = /* @__PURE__ */ Symbol("kError");
    var kMessage = /* @__PURE__ */ Symbol("kMessage");
    var kReason = /* @__PURE__ */ Symbol("kReason");
    var kTarget = /* @__PURE__ */ Symbol("kTarget");
    var kType = /* @__PURE__ */ Symbol("kType");
    var kWasClean = /* @__PURE__ */ Symbol("kWasClean");
    var Event = class {
      /**
       * Create a new `Event`.
       *
       * @param {String} type The name of the event
       * @throws {TypeError} If the `type` argument is not specified
       */
      constructor(type) {
        this[kTarget] = null;
        this[kType] = type;
      }
      /**
       * @type {*}
       */
      get target() {
        return this[kTarget];
      }
      /**
       * @type {String}
       */
      get type() {
        return this[kType];
      }
    };
    Object.defineProperty(Event.prototype, "target", { enumerable: true });
    Object.defineProperty(Event.prototype, "type", { enumerable: true });
    var CloseEvent = class extends Event {
      /**
       * Create a new `CloseEvent`.
       *
       * @param {String} type The name of the event
       * @param {Object} [options] A dictionary object that allows for setting
       *     attributes via object members of the same name
       * @param {Number} [options.code=0] The status code explaining why the
       *     connection was closed
       * @param {String} [options.reason=''] A human-readable string explaining why
       *     the connection was closed
       * @param {Boolean} [options.wasClean=false] Indicates whether or not the
       *     connection was cleanly closed
       */
      constructor(type, options = {}) {
        super(type);
        this[kCode] = options.code === void 0 ? 0 : options.code;
        this[kReason] = options.reason === void 0 ? "" : options.reason;
        this[kWasClean] = options.wasClean === void 0 ? false : options.wasClean;
      }
      /**
       * @type {Number}
       */
      get code() {
        return this[kCode];
      }
      /**
       * @type {String}
       */
      get reason() {
        return this[kReason];
      }
      /**
       * @type {Boolean}
       */
      get wasClean() {
        return this[kWasClean];
      }
    };
    Object.defineProperty(CloseEvent.prototype, "code", { enumerable: true });
    Object.defineProperty(CloseEvent.prototype, "reason", { enumerable: true });
    Object.defineProperty(CloseEvent.prototype, "wasClean", { enumerable: true });
    var ErrorEvent = class extends Event {
      /**
       * Create a new `ErrorEvent`.
       *
       * @param {String} type The name of the event
       * @param {Object} [options] A dictionary object that allows for setting
       *     attributes via object members of the same name
       * @param {*} [options.error=null] The error that generated this event
       * @param {String} [options.message=''] The error message
       */
      constructor(type, options = {}) {
        super(type);
        this[kError] = options.error === void 0 ? null : options.error;
        this[kMessage] = options.message === void 0 ? "" : options.message;
      }
      /**
       * @type {*}
       */
      get error() {
        return this[kError];
      }
      /**
       * @type {String}
       */
      get message() {
        return this[kMessage];
      }
    };
    Object.defineProperty(ErrorEvent.prototype, "error", { enumerable: true });
    Object.defineProperty(ErrorEvent.prototype, "message", { enumerable: true });
    var MessageEvent = class extends Event {
      /**
       * Create a new `MessageEvent`.
       *
       * @param {String} type The name of the event
       * @param {Object} [options] A dictionary object that allows for setting
       *     attributes via object members of the same name
       * @param {*} [options.data=null] The message content
       */
      constructor(type, options = {}) {
        super(type);
        this[kData] = options.data === void 0 ? null : options.data;
      }
      /**
       * @type {*}
       */
      get data() {
        return this[kData];
      }
    };
    Object.defineProperty(MessageEvent.prototype, "data", { enumerable: true });
    var EventTarget = {
      /**
       * Register an event listener.
       *
       * @param {String} type A string representing the event type to listen for
       * @param {(Function|Object)} handler The listener to add
       * @param {Object} [options] An options object specifies characteristics about
       *     the event listener
       * @param {Boolean} [options.once=false] A `Boolean` indicating that the
       *     listener should be invoked at most once after being added. If `true`,
       *     the listener would be automatically removed when invoked.
       * @public
       */
      addEventListener(type, handler, options = {}) {
        for (const listener of this.listeners(type)) {
          if (!options[kForOnEventAttribute] && listener[kListener] === handler && !listener[kForOnEventAttribute]) {
            return;
          }
        }
        let wrapper;
        if (type === "message") {
          wrapper = function onMessage(data, isBinary) {
            const event = new MessageEvent("message", {
              data: isBinary ? data : data.toString()
            });
            event[kTarget] = this;
            callListener(handler, this, event);
          };
        } else if (type === "close") {
          wrapper = function onClose(code, message) {
            const event = new CloseEvent("close", {
              code,
              reason: message.toString(),
              wasClean: this._closeFrameReceived && this._closeFrameSent
            });
            event[kTarget] = this;
            callListener(handler, this, event);
          };
        } else if (type === "error") {
          wrapper = function onError(error) {
            const event = new ErrorEvent("error", {
              error,
              message: error.message
            });
            event[kTarget] = this;
            callListener(handler, this, event);
          };
        } else if (type === "open") {
          wrapper = function onOpen() {
            const event = new Event("open");
            event[kTarget] = this;
            callListener(handler, this, event);
          };
        } else {
          return;
        }
        wrapper[kForOnEventAttribute] = !!options[kForOnEventAttribute];
        wrapper[kListener] = handler;
        if (options.once) {
          this.once(type, wrapper);
        } else {
          this.on(type, wrapper);
        }
      },
      /**
       * Remove an event listener.
       *
       * @param {String} type A string representing the event type to remove
       * @param {(Function|Object)} handler The listener to remove
       * @public
       */
      removeEventListener(type, handler) {
        for (const listener of this.listeners(type)) {
          if (listener[kListener] === handler && !listener[kForOnEventAttribute]) {
            this.removeListener(type, listener);
            break;
          }
        }
      }
    };
    module.exports = {
      CloseEvent,
      ErrorEvent,
      Event,
      EventTarget,
      MessageEvent
    };
    function callListener(listener, thisArg, event) {
      if (typeof listener === "object" && listener.handleEvent) {
        listener.handleEvent.call(listener, event);
      } else {
        listener.call(thisArg, event);
      }
    }
  }
});

// node_modules/ws/lib/extension.js
var require_extension = __commonJS({
  "node_modules/ws/lib/extension.js"(exports, module) {
    "use strict";
    var { tokenChars } = require_validation();
    function push(dest, name, elem) {
      if (dest[name] === void 0) dest[name] = [elem];
      else dest[name].push(elem);
    }
    function parse(header2) {
      const offers = /* @__PURE__ */ Object.create(null);
      let params = /* @__PURE__ */ Object.create(null);
      let mustUnescape = false;
      let isEscaping = false;
      let inQuotes = false;
      let extensionName;
      let paramName;
      let start = -1;
      let code = -1;
      let end = -1;
      let i = 0;
      for (; i < header2.length; i++) {
        code = header2.charCodeAt(i);
        if (extensionName === void 0) {
          if (end === -1 && tokenChars[code] === 1) {
            if (start === -1) start = i;
          } else if (i !== 0 && (code === 32 || code === 9)) {
            if (end === -1 && start !== -1) end = i;
          } else if (code === 59 || code === 44) {
            if (start === -1) {
              throw new SyntaxError(`Unexpected character at index ${i}`);
            }
            if (end === -1) end = i;
            const name = header2.slice(start, end);
            if (code === 44) {
              push(offers, name, params);
              params = /* @__PURE__ */ Object.create(null);
            } else {
              extensionName = name;
            }
            start = end = -1;
          } else {
            throw new SyntaxError(`Unexpected character at index ${i}`);
          }
        } else if (paramName === void 0) {
          if (end === -1 && tokenChars[code] === 1) {
            if (start === -1) start = i;
          } else if (code === 32 || code === 9) {
            if (end === -1 && start !== -1) end = i;
          } else if (code === 59 || code === 44) {
            if (start === -1) {
              throw new SyntaxError(`Unexpected character at index ${i}`);
            }
            if (end === -1) end = i;
            push(params, header2.slice(start, end), true);
            if (code === 44) {
              push(offers, extensionName, params);
              params = /* @__PURE__ */ Object.create(null);
              extensionName = void 0;
            }
            start = end = -1;
          } else if (code === 61 && start !== -1 && end === -1) {
            paramName = header2.slice(start, i);
            start = end = -1;
          } else {
            throw new SyntaxError(`Unexpected character at index ${i}`);
          }
        } else {
          if (isEscaping) {
            if (tokenChars[code] !== 1) {
              throw new SyntaxError(`Unexpected character at index ${i}`);
            }
            if (start === -1) start = i;
            else if (!mustUnescape) mustUnescape = true;
            isEscaping = false;
          } else if (inQuotes) {
            if (tokenChars[code] === 1) {
              if (start === -1) start = i;
            } else if (code === 34 && start !== -1) {
              inQuotes = false;
              end = i;
            } else if (code === 92) {
              isEscaping = true;
            } else {
              throw new SyntaxError(`Unexpected character at index ${i}`);
            }
          } else if (code === 34 && header2.charCodeAt(i - 1) === 61) {
            inQuotes = true;
          } else if (end === -1 && tokenChars[code] === 1) {
            if (start === -1) start = i;
          } else if (start !== -1 && (code === 32 || code === 9)) {
            if (end === -1) end = i;
          } else if (code === 59 || code === 44) {
            if (start === -1) {
              throw new SyntaxError(`Unexpected character at index ${i}`);
            }
            if (end === -1) end = i;
            let value = header2.slice(start, end);
            if (mustUnescape) {
              value = value.replace(/\\/g, "");
              mustUnescape = false;
            }
            push(params, paramName, value);
            if (code === 44) {
              push(offers, extensionName, params);
              params = /* @__PURE__ */ Object.create(null);
              extensionName = void 0;
            }
            paramName = void 0;
            start = end = -1;
          } else {
            throw new SyntaxError(`Unexpected character at index ${i}`);
          }
        }
      }
      if (start === -1 || inQuotes || code === 32 || code === 9) {
        throw new SyntaxError("Unexpected end of input");
      }
      if (end === -1) end = i;
      const token = header2.slice(start, end);
      if (extensionName === void 0) {
        push(offers, token, params);
      } else {
        if (paramName === void 0) {
          push(params, token, true);
        } else if (mustUnescape) {
          push(params, paramName, token.replace(/\\/g, ""));
        } else {
          push(params, paramName, token);
        }
        push(offers, extensionName, params);
      }
      return offers;
    }
    function format(extensions) {
      return Object.keys(extensions).map((extension2) => {
        let configurations = extensions[extension2];
        if (!Array.isArray(configurations)) configurations = [configurations];
        return configurations.map((params) => {
          return [extension2].concat(
            Object.keys(params).map((k) => {
              let values = params[k];
              if (!Array.isArray(values)) values = [values];
              return values.map((v) => v === true ? k : `${k}=${v}`).join("; ");
            })
          ).join("; ");
        }).join(", ");
      }).join(", ");
    }
    module.exports = { format, parse };
  }
});

// node_modules/ws/lib/websocket.js
var require_websocket = __commonJS({
  "node_modules/ws/lib/websocket.js"(exports, module) {
    "use strict";
    var EventEmitter = __require("events");
    var https2 = __require("https");
    var http3 = __require("http");
    var net = __require("net");
    var querystring = __require("querystring");
    var tls = __require("tls");
    var { randomBytes, createHash: createHash3 } = __require("crypto");
    var { Duplex, Readable: Readable2 } = __require("stream");
    var { URL: URL2 } = __require("url");
    var PerMessageDeflate2 = require_permessage_deflate();
    var Receiver2 = require_receiver();
    var Sender2 = require_sender();
    var { isBlob } = require_validation();
    var {
      BINARY_TYPES,
      CLOSE_TIMEOUT,
      EMPTY_BUFFER,
      GUID,
      kForOnEventAttribute,
      kListener,
      kStatusCode,
      kWebSocket,
      NOOP
    } = require_constants();
    var {
      EventTarget: { addEventListener, removeEventListener }
    } = require_event_target();
    var { format, parse } = require_extension();
    var { toBuffer } = require_buffer_util();
    var kAborted = /* @__PURE__ */ Symbol("kAborted");
    var protocolVersions = [8, 13];
    var readyStates = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];
    var subprotocolRegex = /^[!#$%&'*+\-.0-9A-Z^_`|a-z~]+$/;
    var WebSocket2 = class _WebSocket extends EventEmitter {
      /**
       * Create a new `WebSocket`.
       *
       * @param {(String|URL)} address The URL to which to connect
       * @param {(String|String[])} [protocols] The subprotocols
       * @param {Object} [options] Connection options
       */
      constructor(address, protocols, options) {
        super();
        this._binaryType = BINARY_TYPES[0];
        this._closeCode = 1006;
        this._closeFrameReceived = false;
        this._closeFrameSent = false;
        this._closeMessage = EMPTY_BUFFER;
        this._closeTimer = null;
        this._errorEmitted = false;
        this._extensions = {};
        this._paused = false;
        this._protocol = "";
        this._readyState = _WebSocket.CONNECTING;
        this._receiver = null;
        this._sender = null;
        this._socket = null;
        if (address !== null) {
          this._bufferedAmount = 0;
          this._isServer = false;
          this._redirects = 0;
          if (protocols === void 0) {
            if (!options || options.protocols === void 0) {
              protocols = [];
            } else if (Array.isArray(options.protocols)) {
              protocols = options.protocols;
            } else {
              protocols = [options.protocols];
            }
          } else if (!Array.isArray(protocols)) {
            if (typeof protocols === "object" && protocols !== null) {
              options = protocols;
              if (options.protocols === void 0) {
                protocols = [];
              } else if (Array.isArray(options.protocols)) {
                protocols = options.protocols;
              } else {
                protocols = [options.protocols];
              }
            } else {
              protocols = [protocols];
            }
          }
          options = initAsClient(this, address, protocols, options);
        } else {
          this._isServer = true;
        }
        if (options.autoPong) {
          this._autoPong = true;
          this._autoPongComplete = () => autoPongComplete(this);
          this._pendingAutoPongs = 0;
          this._maxPendingAutoPongs = options.maxPendingAutoPongs | 0;
        }
        this._closeTimeout = options.closeTimeout;
      }
      /**
       * For historical reasons, the custom "nodebuffer" type is used by the default
       * instead of "blob".
       *
       * @type {String}
       */
      get binaryType() {
        return this._binaryType;
      }
      set binaryType(type) {
        if (!BINARY_TYPES.includes(type)) return;
        this._binaryType = type;
        if (this._receiver) this._receiver._binaryType = type;
      }
      /**
       * @type {Number}
       */
      get bufferedAmount() {
        if (!this._socket) return this._bufferedAmount;
        return this._socket._writableState.length + this._sender._bufferedBytes;
      }
      /**
       * @type {String}
       */
      get extensions() {
        return Object.keys(this._extensions).join();
      }
      /**
       * @type {Boolean}
       */
      get isPaused() {
        return this._paused;
      }
      /**
       * @type {Function}
       */
      /* istanbul ignore next */
      get onclose() {
        return null;
      }
      /**
       * @type {Function}
       */
      /* istanbul ignore next */
      get onerror() {
        return null;
      }
      /**
       * @type {Function}
       */
      /* istanbul ignore next */
      get onopen() {
        return null;
      }
      /**
       * @type {Function}
       */
      /* istanbul ignore next */
      get onmessage() {
        return null;
      }
      /**
       * @type {String}
       */
      get protocol() {
        return this._protocol;
      }
      /**
       * @type {Number}
       */
      get readyState() {
        return this._readyState;
      }
      /**
       * @type {String}
       */
      get url() {
        return this._url;
      }
      /**
       * Set up the socket and the internal resources.
       *
       * @param {Duplex} socket The network socket between the server and client
       * @param {Buffer} head The first packet of the upgraded stream
       * @param {Object} options Options object
       * @param {Boolean} [options.allowSynchronousEvents=false] Specifies whether
       *     any of the `'message'`, `'ping'`, and `'pong'` events can be emitted
       *     multiple times in the same tick
       * @param {Function} [options.generateMask] The function used to generate the
       *     masking key
       * @param {Number} [options.maxBufferedChunks=0] The maximum number of
       *     buffered data chunks
       * @param {Number} [options.maxFragments=0] The maximum number of message
       *     fragments
       * @param {Number} [options.maxPayload=0] The maximum allowed message size
       * @param {Boolean} [options.skipUTF8Validation=false] Specifies whether or
       *     not to skip UTF-8 validation for text and close messages
       * @private
       */
      setSocket(socket, head, options) {
        const receiver = new Receiver2({
          allowSynchronousEvents: options.allowSynchronousEvents,
          binaryType: this.binaryType,
          extensions: this._extensions,
          isServer: this._isServer,
          maxBufferedChunks: options.maxBufferedChunks,
          maxFragments: options.maxFragments,
          maxPayload: options.maxPayload,
          skipUTF8Validation: options.skipUTF8Validation
        });
        const sender = new Sender2(socket, this._extensions, options.generateMask);
        this._receiver = receiver;
        this._sender = sender;
        this._socket = socket;
        receiver[kWebSocket] = this;
        sender[kWebSocket] = this;
        socket[kWebSocket] = this;
        receiver.on("conclude", receiverOnConclude);
        receiver.on("drain", receiverOnDrain);
        receiver.on("error", receiverOnError);
        receiver.on("message", receiverOnMessage);
        receiver.on("ping", receiverOnPing);
        receiver.on("pong", receiverOnPong);
        sender.onerror = senderOnError;
        if (socket.setTimeout) socket.setTimeout(0);
        if (socket.setNoDelay) socket.setNoDelay();
        if (head.length > 0) socket.unshift(head);
        socket.on("close", socketOnClose);
        socket.on("data", socketOnData);
        socket.on("end", socketOnEnd);
        socket.on("error", socketOnError);
        this._readyState = _WebSocket.OPEN;
        this.emit("open");
      }
      /**
       * Emit the `'close'` event.
       *
       * @private
       */
      emitClose() {
        if (!this._socket) {
          this._readyState = _WebSocket.CLOSED;
          this.emit("close", this._closeCode, this._closeMessage);
          return;
        }
        if (this._extensions[PerMessageDeflate2.extensionName]) {
          this._extensions[PerMessageDeflate2.extensionName].cleanup();
        }
        this._receiver.removeAllListeners();
        this._readyState = _WebSocket.CLOSED;
        this.emit("close", this._closeCode, this._closeMessage);
      }
      /**
       * Start a closing handshake.
       *
       *          +----------+   +-----------+   +----------+
       *     - - -|ws.close()|-->|close frame|-->|ws.close()|- - -
       *    |     +----------+   +-----------+   +----------+     |
       *          +----------+   +-----------+         |
       * CLOSING  |ws.close()|<--|close frame|<--+-----+       CLOSING
       *          +----------+   +-----------+   |
       *    |           |                        |   +---+        |
       *                +------------------------+-->|fin| - - - -
       *    |         +---+                      |   +---+
       *     - - - - -|fin|<---------------------+
       *              +---+
       *
       * @param {Number} [code] Status code explaining why the connection is closing
       * @param {(String|Buffer)} [data] The reason why the connection is
       *     closing
       * @public
       */
      close(code, data) {
        if (this.readyState === _WebSocket.CLOSED) return;
        if (this.readyState === _WebSocket.CONNECTING) {
          const msg = "WebSocket was closed before the connection was established";
          abortHandshake(this, this._req, msg);
          return;
        }
        if (this.readyState === _WebSocket.CLOSING) {
          if (this._closeFrameSent && (this._closeFrameReceived || this._receiver._writableState.errorEmitted)) {
            this._socket.end();
          }
          return;
        }
        this._sender.close(code, data, !this._isServer, (err2) => {
          if (err2) return;
          this._closeFrameSent = true;
          if (this._closeFrameReceived || this._receiver._writableState.errorEmitted) {
            this._socket.end();
          }
        });
        this._readyState = _WebSocket.CLOSING;
        setCloseTimer(this);
      }
      /**
       * Pause the socket.
       *
       * @public
       */
      pause() {
        if (this.readyState === _WebSocket.CONNECTING || this.readyState === _WebSocket.CLOSED) {
          return;
        }
        this._paused = true;
        this._socket.pause();
      }
      /**
       * Send a ping.
       *
       * @param {*} [data] The data to send
       * @param {Boolean} [mask] Indicates whether or not to mask `data`
       * @param {Function} [cb] Callback which is executed when the ping is sent
       * @public
       */
      ping(data, mask, cb) {
        if (this.readyState === _WebSocket.CONNECTING) {
          throw new Error("WebSocket is not open: readyState 0 (CONNECTING)");
        }
        if (typeof data === "function") {
          cb = data;
          data = mask = void 0;
        } else if (typeof mask === "function") {
          cb = mask;
          mask = void 0;
        }
        if (typeof data === "number") data = data.toString();
        if (this.readyState !== _WebSocket.OPEN) {
          sendAfterClose(this, data, cb);
          return;
        }
        if (mask === void 0) mask = !this._isServer;
        this._sender.ping(data || EMPTY_BUFFER, mask, cb);
      }
      /**
       * Send a pong.
       *
       * @param {*} [data] The data to send
       * @param {Boolean} [mask] Indicates whether or not to mask `data`
       * @param {Function} [cb] Callback which is executed when the pong is sent
       * @public
       */
      pong(data, mask, cb) {
        if (this.readyState === _WebSocket.CONNECTING) {
          throw new Error("WebSocket is not open: readyState 0 (CONNECTING)");
        }
        if (typeof data === "function") {
          cb = data;
          data = mask = void 0;
        } else if (typeof mask === "function") {
          cb = mask;
          mask = void 0;
        }
        if (typeof data === "number") data = data.toString();
        if (this.readyState !== _WebSocket.OPEN) {
          sendAfterClose(this, data, cb);
          return;
        }
        if (mask === void 0) mask = !this._isServer;
        this._sender.pong(data || EMPTY_BUFFER, mask, cb);
      }
      /**
       * Resume the socket.
       *
       * @public
       */
      resume() {
        if (this.readyState === _WebSocket.CONNECTING || this.readyState === _WebSocket.CLOSED) {
          return;
        }
        this._paused = false;
        if (!this._receiver._writableState.needDrain) this._socket.resume();
      }
      /**
       * Send a data message.
       *
       * @param {*} data The message to send
       * @param {Object} [options] Options object
       * @param {Boolean} [options.binary] Specifies whether `data` is binary or
       *     text
       * @param {Boolean} [options.compress] Specifies whether or not to compress
       *     `data`
       * @param {Boolean} [options.fin=true] Specifies whether the fragment is the
       *     last one
       * @param {Boolean} [options.mask] Specifies whether or not to mask `data`
       * @param {Function} [cb] Callback which is executed when data is written out
       * @public
       */
      send(data, options, cb) {
        if (this.readyState === _WebSocket.CONNECTING) {
          throw new Error("WebSocket is not open: readyState 0 (CONNECTING)");
        }
        if (typeof options === "function") {
          cb = options;
          options = {};
        }
        if (typeof data === "number") data = data.toString();
        if (this.readyState !== _WebSocket.OPEN) {
          sendAfterClose(this, data, cb);
          return;
        }
        const opts = {
          binary: typeof data !== "string",
          mask: !this._isServer,
          compress: true,
          fin: true,
          ...options
        };
        if (!this._extensions[PerMessageDeflate2.extensionName]) {
          opts.compress = false;
        }
        this._sender.send(data || EMPTY_BUFFER, opts, cb);
      }
      /**
       * Forcibly close the connection.
       *
       * @public
       */
      terminate() {
        if (this.readyState === _WebSocket.CLOSED) return;
        if (this.readyState === _WebSocket.CONNECTING) {
          const msg = "WebSocket was closed before the connection was established";
          abortHandshake(this, this._req, msg);
          return;
        }
        if (this._socket) {
          this._readyState = _WebSocket.CLOSING;
          this._socket.destroy();
        }
      }
    };
    Object.defineProperty(WebSocket2, "CONNECTING", {
      enumerable: true,
      value: readyStates.indexOf("CONNECTING")
    });
    Object.defineProperty(WebSocket2.prototype, "CONNECTING", {
      enumerable: true,
      value: readyStates.indexOf("CONNECTING")
    });
    Object.defineProperty(WebSocket2, "OPEN", {
      enumerable: true,
      value: readyStates.indexOf("OPEN")
    });
    Object.defineProperty(WebSocket2.prototype, "OPEN", {
      enumerable: true,
      value: readyStates.indexOf("OPEN")
    });
    Object.defineProperty(WebSocket2, "CLOSING", {
      enumerable: true,
      value: readyStates.indexOf("CLOSING")
    });
    Object.defineProperty(WebSocket2.prototype, "CLOSING", {
      enumerable: true,
      value: readyStates.indexOf("CLOSING")
    });
    Object.defineProperty(WebSocket2, "CLOSED", {
      enumerable: true,
      value: readyStates.indexOf("CLOSED")
    });
    Object.defineProperty(WebSocket2.prototype, "CLOSED", {
      enumerable: true,
      value: readyStates.indexOf("CLOSED")
    });
    [
      "binaryType",
      "bufferedAmount",
      "extensions",
      "isPaused",
      "protocol",
      "readyState",
      "url"
    ].forEach((property) => {
      Object.defineProperty(WebSocket2.prototype, property, { enumerable: true });
    });
    ["open", "error", "close", "message"].forEach((method) => {
      Object.defineProperty(WebSocket2.prototype, `on${method}`, {
        enumerable: true,
        get() {
          for (const listener of this.listeners(method)) {
            if (listener[kForOnEventAttribute]) return listener[kListener];
          }
          return null;
        },
        set(handler) {
          for (const listener of this.listeners(method)) {
            if (listener[kForOnEventAttribute]) {
              this.removeListener(method, listener);
              break;
            }
          }
          if (typeof handler !== "function") return;
          this.addEventListener(method, handler, {
            [kForOnEventAttribute]: true
          });
        }
      });
    });
    WebSocket2.prototype.addEventListener = addEventListener;
    WebSocket2.prototype.removeEventListener = removeEventListener;
    module.exports = WebSocket2;
    function initAsClient(websocket, address, protocols, options) {
      const opts = {
        allowSynchronousEvents: true,
        autoPong: true,
        closeTimeout: CLOSE_TIMEOUT,
        protocolVersion: protocolVersions[1],
        maxBufferedChunks: 256 * 1024,
        maxFragments: 16 * 1024,
        maxPayload: 100 * 1024 * 1024,
        maxPendingAutoPongs: 60,
        skipUTF8Validation: false,
        perMessageDeflate: true,
        followRedirects: false,
        maxRedirects: 10,
        ...options,
        socketPath: void 0,
        hostname: void 0,
        protocol: void 0,
        protocols: void 0,
        timeout: void 0,
        method: "GET",
        host: void 0,
        path: void 0,
        port: void 0
      };
      if (!protocolVersions.includes(opts.protocolVersion)) {
        throw new RangeError(
          `Unsupported protocol version: ${opts.protocolVersion} (supported versions: ${protocolVersions.join(", ")})`
        );
      }
      let parsedUrl;
      if (address instanceof URL2) {
        parsedUrl = address;
      } else {
        try {
          parsedUrl = new URL2(address);
        } catch {
          throw new SyntaxError(`Invalid URL: ${address}`);
        }
      }
      if (parsedUrl.protocol === "http:" || parsedUrl.protocol === "https:") {
        parsedUrl = new URL2(parsedUrl);
        parsedUrl.protocol = parsedUrl.protocol === "http:" ? "ws:" : "wss:";
      }
      websocket._url = parsedUrl.href;
      const isSecure = parsedUrl.protocol === "wss:";
      const isIpcUrl = parsedUrl.protocol === "ws+unix:";
      let invalidUrlMessage;
      if (parsedUrl.protocol !== "ws:" && !isSecure && !isIpcUrl) {
        invalidUrlMessage = `The URL's protocol must be one of "ws:", "wss:", "http:", "https:", or "ws+unix:"`;
      } else if (isIpcUrl && !parsedUrl.pathname) {
        invalidUrlMessage = "The URL's pathname is empty";
      } else if (parsedUrl.hash) {
        invalidUrlMessage = "The URL contains a fragment identifier";
      }
      if (invalidUrlMessage) {
        const err2 = new SyntaxError(invalidUrlMessage);
        if (websocket._redirects === 0) {
          throw err2;
        } else {
          emitErrorAndClose(websocket, err2);
          return;
        }
      }
      const defaultPort = isSecure ? 443 : 80;
      const key = randomBytes(16).toString("base64");
      const request = isSecure ? https2.request : http3.request;
      const protocolSet = /* @__PURE__ */ new Set();
      let perMessageDeflate;
      opts.createConnection = opts.createConnection || (isSecure ? tlsConnect : netConnect);
      opts.defaultPort = opts.defaultPort || defaultPort;
      opts.port = parsedUrl.port || defaultPort;
      opts.host = parsedUrl.hostname.startsWith("[") ? parsedUrl.hostname.slice(1, -1) : parsedUrl.hostname;
      opts.headers = {
        ...opts.headers,
        "Sec-WebSocket-Version": opts.protocolVersion,
        "Sec-WebSocket-Key": key,
        Connection: "Upgrade",
        Upgrade: "websocket"
      };
      opts.path = parsedUrl.pathname + parsedUrl.search;
      opts.timeout = opts.handshakeTimeout;
      if (opts.perMessageDeflate) {
        perMessageDeflate = new PerMessageDeflate2({
          ...opts.perMessageDeflate,
          isServer: false,
          maxPayload: opts.maxPayload
        });
        opts.headers["Sec-WebSocket-Extensions"] = format({
          [PerMessageDeflate2.extensionName]: perMessageDeflate.offer()
        });
      }
      if (protocols.length) {
        for (const protocol of protocols) {
          if (typeof protocol !== "string" || !subprotocolRegex.test(protocol) || protocolSet.has(protocol)) {
            throw new SyntaxError(
              "An invalid or duplicated subprotocol was specified"
            );
          }
          protocolSet.add(protocol);
        }
        opts.headers["Sec-WebSocket-Protocol"] = protocols.join(",");
      }
      if (opts.origin) {
        if (opts.protocolVersion < 13) {
          opts.headers["Sec-WebSocket-Origin"] = opts.origin;
        } else {
          opts.headers.Origin = opts.origin;
        }
      }
      if (parsedUrl.username || parsedUrl.password) {
        const username = querystring.unescape(parsedUrl.username);
        const password = querystring.unescape(parsedUrl.password);
        opts.auth = `${username}:${password}`;
      }
      if (isIpcUrl) {
        const i = opts.path.indexOf(":");
        if (i === -1) {
          opts.socketPath = opts.path;
          opts.path = "";
        } else {
          opts.socketPath = opts.path.slice(0, i);
          opts.path = opts.path.slice(i + 1);
        }
      }
      let req;
      if (opts.followRedirects) {
        if (websocket._redirects === 0) {
          websocket._originalIpc = isIpcUrl;
          websocket._originalSecure = isSecure;
          websocket._originalHostOrSocketPath = isIpcUrl ? opts.socketPath : parsedUrl.host;
          const headers = options && options.headers;
          options = { ...options, headers: {} };
          if (headers) {
            for (const [key2, value] of Object.entries(headers)) {
              options.headers[key2.toLowerCase()] = value;
            }
          }
        } else if (websocket.listenerCount("redirect") === 0) {
          const isSameHost = isIpcUrl ? websocket._originalIpc ? opts.socketPath === websocket._originalHostOrSocketPath : false : websocket._originalIpc ? false : parsedUrl.host === websocket._originalHostOrSocketPath;
          if (!isSameHost || websocket._originalSecure && !isSecure) {
            delete opts.headers.authorization;
            delete opts.headers.cookie;
            if (!isSameHost) delete opts.headers.host;
            opts.auth = void 0;
          }
        }
        if (opts.auth && !options.headers.authorization) {
          options.headers.authorization = "Basic " + Buffer.from(opts.auth).toString("base64");
        }
        req = websocket._req = request(opts);
        if (websocket._redirects) {
          websocket.emit("redirect", websocket.url, req);
        }
      } else {
        req = websocket._req = request(opts);
      }
      if (opts.timeout) {
        req.on("timeout", () => {
          abortHandshake(websocket, req, "Opening handshake has timed out");
        });
      }
      req.on("error", (err2) => {
        if (req === null || req[kAborted]) return;
        req = websocket._req = null;
        emitErrorAndClose(websocket, err2);
      });
      req.on("response", (res) => {
        const location = res.headers.location;
        const statusCode = res.statusCode;
        if (location && opts.followRedirects && statusCode >= 300 && statusCode < 400) {
          if (++websocket._redirects > opts.maxRedirects) {
            abortHandshake(websocket, req, "Maximum redirects exceeded");
            return;
          }
          req.abort();
          let addr;
          try {
            addr = new URL2(location, address);
          } catch (e) {
            const err2 = new SyntaxError(`Invalid URL: ${location}`);
            emitErrorAndClose(websocket, err2);
            return;
          }
          initAsClient(websocket, addr, protocols, options);
        } else if (!websocket.emit("unexpected-response", req, res)) {
          abortHandshake(
            websocket,
            req,
            `Unexpected server response: ${res.statusCode}`
          );
        }
      });
      req.on("upgrade", (res, socket, head) => {
        websocket.emit("upgrade", res);
        if (websocket.readyState !== WebSocket2.CONNECTING) return;
        req = websocket._req = null;
        const upgrade = res.headers.upgrade;
        if (upgrade === void 0 || upgrade.toLowerCase() !== "websocket") {
          abortHandshake(websocket, socket, "Invalid Upgrade header");
          return;
        }
        const digest = createHash3("sha1").update(key + GUID).digest("base64");
        if (res.headers["sec-websocket-accept"] !== digest) {
          abortHandshake(websocket, socket, "Invalid Sec-WebSocket-Accept header");
          return;
        }
        const serverProt = res.headers["sec-websocket-protocol"];
        let protError;
        if (serverProt !== void 0) {
          if (!protocolSet.size) {
            protError = "Server sent a subprotocol but none was requested";
          } else if (!protocolSet.has(serverProt)) {
            protError = "Server sent an invalid subprotocol";
          }
        } else if (protocolSet.size) {
          protError = "Server sent no subprotocol";
        }
        if (protError) {
          abortHandshake(websocket, socket, protError);
          return;
        }
        if (serverProt) websocket._protocol = serverProt;
        const secWebSocketExtensions = res.headers["sec-websocket-extensions"];
        if (secWebSocketExtensions !== void 0) {
          if (!perMessageDeflate) {
            const message = "Server sent a Sec-WebSocket-Extensions header but no extension was requested";
            abortHandshake(websocket, socket, message);
            return;
          }
          let extensions;
          try {
            extensions = parse(secWebSocketExtensions);
          } catch (err2) {
            const message = "Invalid Sec-WebSocket-Extensions header";
            abortHandshake(websocket, socket, message);
            return;
          }
          const extensionNames = Object.keys(extensions);
          if (extensionNames.length !== 1 || extensionNames[0] !== PerMessageDeflate2.extensionName) {
            const message = "Server indicated an extension that was not requested";
            abortHandshake(websocket, socket, message);
            return;
          }
          try {
            perMessageDeflate.accept(extensions[PerMessageDeflate2.extensionName]);
          } catch (err2) {
            const message = "Invalid Sec-WebSocket-Extensions header";
            abortHandshake(websocket, socket, message);
            return;
          }
          websocket._extensions[PerMessageDeflate2.extensionName] = perMessageDeflate;
        }
        websocket.setSocket(socket, head, {
          allowSynchronousEvents: opts.allowSynchronousEvents,
          generateMask: opts.generateMask,
          maxBufferedChunks: opts.maxBufferedChunks,
          maxFragments: opts.maxFragments,
          maxPayload: opts.maxPayload,
          skipUTF8Validation: opts.skipUTF8Validation
        });
      });
      if (opts.finishRequest) {
        opts.finishRequest(req, websocket);
      } else {
        req.end();
      }
      return opts;
    }
    function emitErrorAndClose(websocket, err2) {
      websocket._readyState = WebSocket2.CLOSING;
      websocket._errorEmitted = true;
      websocket.emit("error", err2);
      websocket.emitClose();
    }
    function netConnect(options) {
      options.path = options.socketPath;
      return net.connect(options);
    }
    function tlsConnect(options) {
      options.path = void 0;
      if (!options.servername && options.servername !== "") {
        options.servername = net.isIP(options.host) ? "" : options.host;
      }
      return tls.connect(options);
    }
    function abortHandshake(websocket, stream2, message) {
      websocket._readyState = WebSocket2.CLOSING;
      const err2 = new Error(message);
      Error.captureStackTrace(err2, abortHandshake);
      if (stream2.setHeader) {
        stream2[kAborted] = true;
        stream2.abort();
        if (stream2.socket && !stream2.socket.destroyed) {
          stream2.socket.destroy();
        }
        process.nextTick(emitErrorAndClose, websocket, err2);
      } else {
        stream2.destroy(err2);
        stream2.once("error", websocket.emit.bind(websocket, "error"));
        stream2.once("close", websocket.emitClose.bind(websocket));
      }
    }
    function sendAfterClose(websocket, data, cb) {
      if (data) {
        const length = isBlob(data) ? data.size : toBuffer(data).length;
        if (websocket._socket) websocket._sender._bufferedBytes += length;
        else websocket._bufferedAmount += length;
      }
      if (cb) {
        const err2 = new Error(
          `WebSocket is not open: readyState ${websocket.readyState} (${readyStates[websocket.readyState]})`
        );
        process.nextTick(cb, err2);
      }
    }
    function receiverOnConclude(code, reason) {
      const websocket = this[kWebSocket];
      websocket._closeFrameReceived = true;
      websocket._closeCode = code;
      if (reason.length === 0) {
        websocket._closeMessage = EMPTY_BUFFER;
      } else {
        websocket._closeMessage = Buffer.allocUnsafeSlow(reason.length);
        websocket._closeMessage.set(reason);
      }
      if (websocket._socket[kWebSocket] === void 0) return;
      websocket._socket.removeListener("data", socketOnData);
      process.nextTick(resume, websocket._socket);
      if (code === 1005) websocket.close();
      else websocket.close(code, reason);
    }
    function receiverOnDrain() {
      const websocket = this[kWebSocket];
      if (!websocket.isPaused) websocket._socket.resume();
    }
    function receiverOnError(err2) {
      const websocket = this[kWebSocket];
      if (websocket._socket[kWebSocket] !== void 0) {
        websocket._socket.removeListener("data", socketOnData);
        process.nextTick(resume, websocket._socket);
        websocket.close(err2[kStatusCode]);
      }
      if (!websocket._errorEmitted) {
        websocket._errorEmitted = true;
        websocket.emit("error", err2);
      }
    }
    function receiverOnFinish() {
      this[kWebSocket].emitClose();
    }
    function receiverOnMessage(data, isBinary) {
      this[kWebSocket].emit("message", data, isBinary);
    }
    function receiverOnPing(data) {
      const websocket = this[kWebSocket];
      if (websocket._autoPong && websocket.readyState === WebSocket2.OPEN) {
        if (websocket._maxPendingAutoPongs > 0 && websocket._pendingAutoPongs >= websocket._maxPendingAutoPongs) {
          websocket.terminate();
        } else {
          websocket._pendingAutoPongs++;
          websocket.pong(data, !this._isServer, websocket._autoPongComplete);
        }
      }
      websocket.emit("ping", data);
    }
    function autoPongComplete(websocket) {
      websocket._pendingAutoPongs--;
    }
    function receiverOnPong(data) {
      this[kWebSocket].emit("pong", data);
    }
    function resume(stream2) {
      stream2.resume();
    }
    function senderOnError(err2) {
      const websocket = this[kWebSocket];
      if (websocket.readyState === WebSocket2.CLOSED) return;
      if (websocket.readyState === WebSocket2.OPEN) {
        websocket._readyState = WebSocket2.CLOSING;
        setCloseTimer(websocket);
      }
      this._socket.end();
      if (!websocket._errorEmitted) {
        websocket._errorEmitted = true;
        websocket.emit("error", err2);
      }
    }
    function setCloseTimer(websocket) {
      websocket._closeTimer = setTimeout(
        websocket._socket.destroy.bind(websocket._socket),
        websocket._closeTimeout
      );
    }
    function socketOnClose() {
      const websocket = this[kWebSocket];
      this.removeListener("close", socketOnClose);
      this.removeListener("data", socketOnData);
      this.removeListener("end", socketOnEnd);
      websocket._readyState = WebSocket2.CLOSING;
      if (!this._readableState.endEmitted && !websocket._closeFrameReceived && !websocket._receiver._writableState.errorEmitted && this._readableState.length !== 0) {
        const chunk = this.read(this._readableState.length);
        websocket._receiver.write(chunk);
      }
      websocket._receiver.end();
      this[kWebSocket] = void 0;
      clearTimeout(websocket._closeTimer);
      if (websocket._receiver._writableState.finished || websocket._receiver._writableState.errorEmitted) {
        websocket.emitClose();
      } else {
        websocket._receiver.on("error", receiverOnFinish);
        websocket._receiver.on("finish", receiverOnFinish);
      }
    }
    function socketOnData(chunk) {
      if (!this[kWebSocket]._receiver.write(chunk)) {
        this.pause();
      }
    }
    function socketOnEnd() {
      const websocket = this[kWebSocket];
      websocket._readyState = WebSocket2.CLOSING;
      websocket._receiver.end();
      this.end();
    }
    function socketOnError() {
      const websocket = this[kWebSocket];
      this.removeListener("error", socketOnError);
      this.on("error", NOOP);
      if (websocket) {
        websocket._readyState = WebSocket2.CLOSING;
        this.destroy();
      }
    }
  }
});

// node_modules/ws/lib/stream.js
var require_stream = __commonJS({
  "node_modules/ws/lib/stream.js"(exports, module) {
    "use strict";
    var WebSocket2 = require_websocket();
    var { Duplex } = __require("stream");
    function emitClose(stream2) {
      stream2.emit("close");
    }
    function duplexOnEnd() {
      if (!this.destroyed && this._writableState.finished) {
        this.destroy();
      }
    }
    function duplexOnError(err2) {
      this.removeListener("error", duplexOnError);
      this.destroy();
      if (this.listenerCount("error") === 0) {
        this.emit("error", err2);
      }
    }
    function createWebSocketStream2(ws, options) {
      let terminateOnDestroy = true;
      const duplex = new Duplex({
        ...options,
        autoDestroy: false,
        emitClose: false,
        objectMode: false,
        writableObjectMode: false
      });
      ws.on("message", function message(msg, isBinary) {
        const data = !isBinary && duplex._readableState.objectMode ? msg.toString() : msg;
        if (!duplex.push(data)) ws.pause();
      });
      ws.once("error", function error(err2) {
        if (duplex.destroyed) return;
        terminateOnDestroy = false;
        duplex.destroy(err2);
      });
      ws.once("close", function close() {
        if (duplex.destroyed) return;
        duplex.push(null);
      });
      duplex._destroy = function(err2, callback) {
        if (ws.readyState === ws.CLOSED) {
          callback(err2);
          process.nextTick(emitClose, duplex);
          return;
        }
        let called = false;
        ws.once("error", function error(err3) {
          called = true;
          callback(err3);
        });
        ws.once("close", function close() {
          if (!called) callback(err2);
          process.nextTick(emitClose, duplex);
        });
        if (terminateOnDestroy) ws.terminate();
      };
      duplex._final = function(callback) {
        if (ws.readyState === ws.CONNECTING) {
          ws.once("open", function open() {
            duplex._final(callback);
          });
          return;
        }
        if (ws._socket === null) return;
        if (ws._socket._writableState.finished) {
          callback();
          if (duplex._readableState.endEmitted) duplex.destroy();
        } else {
          ws._socket.once("finish", function finish() {
            callback();
          });
          ws.close();
        }
      };
      duplex._read = function() {
        if (ws.isPaused) ws.resume();
      };
      duplex._write = function(chunk, encoding, callback) {
        if (ws.readyState === ws.CONNECTING) {
          ws.once("open", function open() {
            duplex._write(chunk, encoding, callback);
          });
          return;
        }
        ws.send(chunk, callback);
      };
      duplex.on("end", duplexOnEnd);
      duplex.on("error", duplexOnError);
      return duplex;
    }
    module.exports = createWebSocketStream2;
  }
});

// node_modules/ws/lib/subprotocol.js
var require_subprotocol = __commonJS({
  "node_modules/ws/lib/subprotocol.js"(exports, module) {
    "use strict";
    var { tokenChars } = require_validation();
    function parse(header2) {
      const protocols = /* @__PURE__ */ new Set();
      let start = -1;
      let end = -1;
      let i = 0;
      for (i; i < header2.length; i++) {
        const code = header2.charCodeAt(i);
        if (end === -1 && tokenChars[code] === 1) {
          if (start === -1) start = i;
        } else if (i !== 0 && (code === 32 || code === 9)) {
          if (end === -1 && start !== -1) end = i;
        } else if (code === 44) {
          if (start === -1) {
            throw new SyntaxError(`Unexpected character at index ${i}`);
          }
          if (end === -1) end = i;
          const protocol2 = header2.slice(start, end);
          if (protocols.has(protocol2)) {
            throw new SyntaxError(`The "${protocol2}" subprotocol is duplicated`);
          }
          protocols.add(protocol2);
          start = end = -1;
        } else {
          throw new SyntaxError(`Unexpected character at index ${i}`);
        }
      }
      if (start === -1 || end !== -1) {
        throw new SyntaxError("Unexpected end of input");
      }
      const protocol = header2.slice(start, i);
      if (protocols.has(protocol)) {
        throw new SyntaxError(`The "${protocol}" subprotocol is duplicated`);
      }
      protocols.add(protocol);
      return protocols;
    }
    module.exports = { parse };
  }
});

// node_modules/ws/lib/websocket-server.js
var require_websocket_server = __commonJS({
  "node_modules/ws/lib/websocket-server.js"(exports, module) {
    "use strict";
    var EventEmitter = __require("events");
    var http3 = __require("http");
    var { Duplex } = __require("stream");
    var { createHash: createHash3 } = __require("crypto");
    var extension2 = require_extension();
    var PerMessageDeflate2 = require_permessage_deflate();
    var subprotocol2 = require_subprotocol();
    var WebSocket2 = require_websocket();
    var { CLOSE_TIMEOUT, GUID, kWebSocket } = require_constants();
    var keyRegex = /^[+/0-9A-Za-z]{22}==$/;
    var RUNNING = 0;
    var CLOSING = 1;
    var CLOSED = 2;
    var WebSocketServer2 = class extends EventEmitter {
      /**
       * Create a `WebSocketServer` instance.
       *
       * @param {Object} options Configuration options
       * @param {Boolean} [options.allowSynchronousEvents=true] Specifies whether
       *     any of the `'message'`, `'ping'`, and `'pong'` events can be emitted
       *     multiple times in the same tick
       * @param {Boolean} [options.autoPong=true] Specifies whether or not to
       *     automatically send a pong in response to a ping
       * @param {Number} [options.backlog=511] The maximum length of the queue of
       *     pending connections
       * @param {Boolean} [options.clientTracking=true] Specifies whether or not to
       *     track clients
       * @param {Number} [options.closeTimeout=30000] Duration in milliseconds to
       *     wait for the closing handshake to finish after `websocket.close()` is
       *     called
       * @param {Function} [options.handleProtocols] A hook to handle protocols
       * @param {String} [options.host] The hostname where to bind the server
       * @param {Number} [options.maxBufferedChunks=262144] The maximum number of
       *     buffered data chunks
       * @param {Number} [options.maxFragments=16384] The maximum number of message
       *     fragments
       * @param {Number} [options.maxPayload=104857600] The maximum allowed message
       *     size
       * @param {Number} [options.maxPendingAutoPongs=60] The maximum number of
       *     pending automatic pongs
       * @param {Boolean} [options.noServer=false] Enable no server mode
       * @param {String} [options.path] Accept only connections matching this path
       * @param {(Boolean|Object)} [options.perMessageDeflate=false] Enable/disable
       *     permessage-deflate
       * @param {Number} [options.port] The port where to bind the server
       * @param {(http.Server|https.Server)} [options.server] A pre-created HTTP/S
       *     server to use
       * @param {Boolean} [options.skipUTF8Validation=false] Specifies whether or
       *     not to skip UTF-8 validation for text and close messages
       * @param {Function} [options.verifyClient] A hook to reject connections
       * @param {Function} [options.WebSocket=WebSocket] Specifies the `WebSocket`
       *     class to use. It must be the `WebSocket` class or class that extends it
       * @param {Function} [callback] A listener for the `listening` event
       */
      constructor(options, callback) {
        super();
        options = {
          allowSynchronousEvents: true,
          autoPong: true,
          maxBufferedChunks: 256 * 1024,
          maxFragments: 16 * 1024,
          maxPayload: 100 * 1024 * 1024,
          maxPendingAutoPongs: 60,
          skipUTF8Validation: false,
          perMessageDeflate: false,
          handleProtocols: null,
          clientTracking: true,
          closeTimeout: CLOSE_TIMEOUT,
          verifyClient: null,
          noServer: false,
          backlog: null,
          // use default (511 as implemented in net.js)
          server: null,
          host: null,
          path: null,
          port: null,
          WebSocket: WebSocket2,
          ...options
        };
        if (options.port == null && !options.server && !options.noServer || options.port != null && (options.server || options.noServer) || options.server && options.noServer) {
          throw new TypeError(
            'One and only one of the "port", "server", or "noServer" options must be specified'
          );
        }
        if (options.port != null) {
          this._server = http3.createServer((req, res) => {
            const body = http3.STATUS_CODES[426];
            res.writeHead(426, {
              "Content-Length": body.length,
              "Content-Type": "text/plain"
            });
            res.end(body);
          });
          this._server.listen(
            options.port,
            options.host,
            options.backlog,
            callback
          );
        } else if (options.server) {
          this._server = options.server;
        }
        if (this._server) {
          const emitConnection = this.emit.bind(this, "connection");
          this._removeListeners = addListeners(this._server, {
            listening: this.emit.bind(this, "listening"),
            error: this.emit.bind(this, "error"),
            upgrade: (req, socket, head) => {
              this.handleUpgrade(req, socket, head, emitConnection);
            }
          });
        }
        if (options.perMessageDeflate === true) options.perMessageDeflate = {};
        if (options.clientTracking) {
          this.clients = /* @__PURE__ */ new Set();
          this._shouldEmitClose = false;
        }
        this.options = options;
        this._state = RUNNING;
      }
      /**
       * Returns the bound address, the address family name, and port of the server
       * as reported by the operating system if listening on an IP socket.
       * If the server is listening on a pipe or UNIX domain socket, the name is
       * returned as a string.
       *
       * @return {(Object|String|null)} The address of the server
       * @public
       */
      address() {
        if (this.options.noServer) {
          throw new Error('The server is operating in "noServer" mode');
        }
        if (!this._server) return null;
        return this._server.address();
      }
      /**
       * Stop the server from accepting new connections and emit the `'close'` event
       * when all existing connections are closed.
       *
       * @param {Function} [cb] A one-time listener for the `'close'` event
       * @public
       */
      close(cb) {
        if (this._state === CLOSED) {
          if (cb) {
            this.once("close", () => {
              cb(new Error("The server is not running"));
            });
          }
          process.nextTick(emitClose, this);
          return;
        }
        if (cb) this.once("close", cb);
        if (this._state === CLOSING) return;
        this._state = CLOSING;
        if (this.options.noServer || this.options.server) {
          if (this._server) {
            this._removeListeners();
            this._removeListeners = this._server = null;
          }
          if (this.clients) {
            if (!this.clients.size) {
              process.nextTick(emitClose, this);
            } else {
              this._shouldEmitClose = true;
            }
          } else {
            process.nextTick(emitClose, this);
          }
        } else {
          const server = this._server;
          this._removeListeners();
          this._removeListeners = this._server = null;
          server.close(() => {
            emitClose(this);
          });
        }
      }
      /**
       * See if a given request should be handled by this server instance.
       *
       * @param {http.IncomingMessage} req Request object to inspect
       * @return {Boolean} `true` if the request is valid, else `false`
       * @public
       */
      shouldHandle(req) {
        if (this.options.path) {
          const index = req.url.indexOf("?");
          const pathname = index !== -1 ? req.url.slice(0, index) : req.url;
          if (pathname !== this.options.path) return false;
        }
        return true;
      }
      /**
       * Handle a HTTP Upgrade request.
       *
       * @param {http.IncomingMessage} req The request object
       * @param {Duplex} socket The network socket between the server and client
       * @param {Buffer} head The first packet of the upgraded stream
       * @param {Function} cb Callback
       * @public
       */
      handleUpgrade(req, socket, head, cb) {
        socket.on("error", socketOnError);
        const key = req.headers["sec-websocket-key"];
        const upgrade = req.headers.upgrade;
        const version = +req.headers["sec-websocket-version"];
        if (req.method !== "GET") {
          const message = "Invalid HTTP method";
          abortHandshakeOrEmitwsClientError(this, req, socket, 405, message);
          return;
        }
        if (upgrade === void 0 || upgrade.toLowerCase() !== "websocket") {
          const message = "Invalid Upgrade header";
          abortHandshakeOrEmitwsClientError(this, req, socket, 400, message);
          return;
        }
        if (key === void 0 || !keyRegex.test(key)) {
          const message = "Missing or invalid Sec-WebSocket-Key header";
          abortHandshakeOrEmitwsClientError(this, req, socket, 400, message);
          return;
        }
        if (version !== 13 && version !== 8) {
          const message = "Missing or invalid Sec-WebSocket-Version header";
          abortHandshakeOrEmitwsClientError(this, req, socket, 400, message, {
            "Sec-WebSocket-Version": "13, 8"
          });
          return;
        }
        if (!this.shouldHandle(req)) {
          abortHandshake(socket, 400);
          return;
        }
        const secWebSocketProtocol = req.headers["sec-websocket-protocol"];
        let protocols = /* @__PURE__ */ new Set();
        if (secWebSocketProtocol !== void 0) {
          try {
            protocols = subprotocol2.parse(secWebSocketProtocol);
          } catch (err2) {
            const message = "Invalid Sec-WebSocket-Protocol header";
            abortHandshakeOrEmitwsClientError(this, req, socket, 400, message);
            return;
          }
        }
        const secWebSocketExtensions = req.headers["sec-websocket-extensions"];
        const extensions = {};
        if (this.options.perMessageDeflate && secWebSocketExtensions !== void 0) {
          const perMessageDeflate = new PerMessageDeflate2({
            ...this.options.perMessageDeflate,
            isServer: true,
            maxPayload: this.options.maxPayload
          });
          try {
            const offers = extension2.parse(secWebSocketExtensions);
            if (offers[PerMessageDeflate2.extensionName]) {
              perMessageDeflate.accept(offers[PerMessageDeflate2.extensionName]);
              extensions[PerMessageDeflate2.extensionName] = perMessageDeflate;
            }
          } catch (err2) {
            const message = "Invalid or unacceptable Sec-WebSocket-Extensions header";
            abortHandshakeOrEmitwsClientError(this, req, socket, 400, message);
            return;
          }
        }
        if (this.options.verifyClient) {
          const info = {
            origin: req.headers[`${version === 8 ? "sec-websocket-origin" : "origin"}`],
            secure: !!(req.socket.authorized || req.socket.encrypted),
            req
          };
          if (this.options.verifyClient.length === 2) {
            this.options.verifyClient(info, (verified, code, message, headers) => {
              if (!verified) {
                return abortHandshake(socket, code || 401, message, headers);
              }
              this.completeUpgrade(
                extensions,
                key,
                protocols,
                req,
                socket,
                head,
                cb
              );
            });
            return;
          }
          if (!this.options.verifyClient(info)) return abortHandshake(socket, 401);
        }
        this.completeUpgrade(extensions, key, protocols, req, socket, head, cb);
      }
      /**
       * Upgrade the connection to WebSocket.
       *
       * @param {Object} extensions The accepted extensions
       * @param {String} key The value of the `Sec-WebSocket-Key` header
       * @param {Set} protocols The subprotocols
       * @param {http.IncomingMessage} req The request object
       * @param {Duplex} socket The network socket between the server and client
       * @param {Buffer} head The first packet of the upgraded stream
       * @param {Function} cb Callback
       * @throws {Error} If called more than once with the same socket
       * @private
       */
      completeUpgrade(extensions, key, protocols, req, socket, head, cb) {
        if (!socket.readable || !socket.writable) return socket.destroy();
        if (socket[kWebSocket]) {
          throw new Error(
            "server.handleUpgrade() was called more than once with the same socket, possibly due to a misconfiguration"
          );
        }
        if (this._state > RUNNING) return abortHandshake(socket, 503);
        const digest = createHash3("sha1").update(key + GUID).digest("base64");
        const headers = [
          "HTTP/1.1 101 Switching Protocols",
          "Upgrade: websocket",
          "Connection: Upgrade",
          `Sec-WebSocket-Accept: ${digest}`
        ];
        const ws = new this.options.WebSocket(null, void 0, this.options);
        if (protocols.size) {
          const protocol = this.options.handleProtocols ? this.options.handleProtocols(protocols, req) : protocols.values().next().value;
          if (protocol) {
            headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
            ws._protocol = protocol;
          }
        }
        if (extensions[PerMessageDeflate2.extensionName]) {
          const params = extensions[PerMessageDeflate2.extensionName].params;
          const value = extension2.format({
            [PerMessageDeflate2.extensionName]: [params]
          });
          headers.push(`Sec-WebSocket-Extensions: ${value}`);
          ws._extensions = extensions;
        }
        this.emit("headers", headers, req);
        socket.write(headers.concat("\r\n").join("\r\n"));
        socket.removeListener("error", socketOnError);
        ws.setSocket(socket, head, {
          allowSynchronousEvents: this.options.allowSynchronousEvents,
          maxBufferedChunks: this.options.maxBufferedChunks,
          maxFragments: this.options.maxFragments,
          maxPayload: this.options.maxPayload,
          skipUTF8Validation: this.options.skipUTF8Validation
        });
        if (this.clients) {
          this.clients.add(ws);
          ws.on("close", () => {
            this.clients.delete(ws);
            if (this._shouldEmitClose && !this.clients.size) {
              process.nextTick(emitClose, this);
            }
          });
        }
        cb(ws, req);
      }
    };
    module.exports = WebSocketServer2;
    function addListeners(server, map) {
      for (const event of Object.keys(map)) server.on(event, map[event]);
      return function removeListeners() {
        for (const event of Object.keys(map)) {
          server.removeListener(event, map[event]);
        }
      };
    }
    function emitClose(server) {
      server._state = CLOSED;
      server.emit("close");
    }
    function socketOnError() {
      this.destroy();
    }
    function abortHandshake(socket, code, message, headers) {
      message = message || http3.STATUS_CODES[code];
      headers = {
        Connection: "close",
        "Content-Type": "text/html",
        "Content-Length": Buffer.byteLength(message),
        ...headers
      };
      socket.once("finish", socket.destroy);
      socket.end(
        `HTTP/1.1 ${code} ${http3.STATUS_CODES[code]}\r
` + Object.keys(headers).map((h) => `${h}: ${headers[h]}`).join("\r\n") + "\r\n\r\n" + message
      );
    }
    function abortHandshakeOrEmitwsClientError(server, req, socket, code, message, headers) {
      if (server.listenerCount("wsClientError")) {
        const err2 = new Error(message);
        Error.captureStackTrace(err2, abortHandshakeOrEmitwsClientError);
        server.emit("wsClientError", err2, socket, req);
      } else {
        abortHandshake(socket, code, message, headers);
      }
    }
  }
});

// node_modules/@hono/node-server/dist/index.mjs
import { Http2ServerRequest as Http2ServerRequest2, constants as h2constants } from "http2";
import { Http2ServerRequest } from "http2";
import { Readable } from "stream";
import crypto from "crypto";
var RequestError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "RequestError";
  }
};
var validateRequestTarget = (target) => {
  const backslash = target.indexOf("\\");
  if (backslash !== -1) {
    const query = target.indexOf("?");
    if (query === -1 || backslash < query) {
      throw new RequestError("Backslash in request path");
    }
  }
};
var toRequestError = (e) => {
  if (e instanceof RequestError) {
    return e;
  }
  return new RequestError(e.message, { cause: e });
};
var GlobalRequest = global.Request;
var Request = class extends GlobalRequest {
  constructor(input, options) {
    if (typeof input === "object" && getRequestCache in input) {
      input = input[getRequestCache]();
    }
    if (typeof options?.body?.getReader !== "undefined") {
      ;
      options.duplex ??= "half";
    }
    super(input, options);
  }
};
var newHeadersFromIncoming = (incoming) => {
  const headerRecord = [];
  const rawHeaders = incoming.rawHeaders;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const { [i]: key, [i + 1]: value } = rawHeaders;
    if (key.charCodeAt(0) !== /*:*/
    58) {
      headerRecord.push([key, value]);
    }
  }
  return new Headers(headerRecord);
};
var wrapBodyStream = /* @__PURE__ */ Symbol("wrapBodyStream");
var newRequestFromIncoming = (method, url, headers, incoming, abortController) => {
  const init = {
    method,
    headers,
    signal: abortController.signal
  };
  if (method === "TRACE") {
    init.method = "GET";
    const req = new Request(url, init);
    Object.defineProperty(req, "method", {
      get() {
        return "TRACE";
      }
    });
    return req;
  }
  if (!(method === "GET" || method === "HEAD")) {
    if ("rawBody" in incoming && incoming.rawBody instanceof Buffer) {
      init.body = new ReadableStream({
        start(controller) {
          controller.enqueue(incoming.rawBody);
          controller.close();
        }
      });
    } else if (incoming[wrapBodyStream]) {
      let reader;
      init.body = new ReadableStream({
        async pull(controller) {
          try {
            reader ||= Readable.toWeb(incoming).getReader();
            const { done, value } = await reader.read();
            if (done) {
              controller.close();
            } else {
              controller.enqueue(value);
            }
          } catch (error) {
            controller.error(error);
          }
        }
      });
    } else {
      init.body = Readable.toWeb(incoming);
    }
  }
  return new Request(url, init);
};
var getRequestCache = /* @__PURE__ */ Symbol("getRequestCache");
var requestCache = /* @__PURE__ */ Symbol("requestCache");
var incomingKey = /* @__PURE__ */ Symbol("incomingKey");
var urlKey = /* @__PURE__ */ Symbol("urlKey");
var headersKey = /* @__PURE__ */ Symbol("headersKey");
var abortControllerKey = /* @__PURE__ */ Symbol("abortControllerKey");
var getAbortController = /* @__PURE__ */ Symbol("getAbortController");
var requestPrototype = {
  get method() {
    return this[incomingKey].method || "GET";
  },
  get url() {
    return this[urlKey];
  },
  get headers() {
    return this[headersKey] ||= newHeadersFromIncoming(this[incomingKey]);
  },
  [getAbortController]() {
    this[getRequestCache]();
    return this[abortControllerKey];
  },
  [getRequestCache]() {
    this[abortControllerKey] ||= new AbortController();
    return this[requestCache] ||= newRequestFromIncoming(
      this.method,
      this[urlKey],
      this.headers,
      this[incomingKey],
      this[abortControllerKey]
    );
  }
};
[
  "body",
  "bodyUsed",
  "cache",
  "credentials",
  "destination",
  "integrity",
  "mode",
  "redirect",
  "referrer",
  "referrerPolicy",
  "signal",
  "keepalive"
].forEach((k) => {
  Object.defineProperty(requestPrototype, k, {
    get() {
      return this[getRequestCache]()[k];
    }
  });
});
["arrayBuffer", "blob", "clone", "formData", "json", "text"].forEach((k) => {
  Object.defineProperty(requestPrototype, k, {
    value: function() {
      return this[getRequestCache]()[k]();
    }
  });
});
Object.defineProperty(requestPrototype, /* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom"), {
  value: function(depth, options, inspectFn) {
    const props = {
      method: this.method,
      url: this.url,
      headers: this.headers,
      nativeRequest: this[requestCache]
    };
    return `Request (lightweight) ${inspectFn(props, { ...options, depth: depth == null ? null : depth - 1 })}`;
  }
});
Object.setPrototypeOf(requestPrototype, Request.prototype);
var newRequest = (incoming, defaultHostname) => {
  const req = Object.create(requestPrototype);
  req[incomingKey] = incoming;
  const incomingUrl = incoming.url || "";
  if (incomingUrl[0] !== "/" && // short-circuit for performance. most requests are relative URL.
  (incomingUrl.startsWith("http://") || incomingUrl.startsWith("https://"))) {
    if (incoming instanceof Http2ServerRequest) {
      throw new RequestError("Absolute URL for :path is not allowed in HTTP/2");
    }
    try {
      validateRequestTarget(incomingUrl);
      const url2 = new URL(incomingUrl);
      req[urlKey] = url2.href;
    } catch (e) {
      throw new RequestError("Invalid absolute URL", { cause: e });
    }
    return req;
  }
  const host = (incoming instanceof Http2ServerRequest ? incoming.authority : incoming.headers.host) || defaultHostname;
  if (!host) {
    throw new RequestError("Missing host header");
  }
  let scheme;
  if (incoming instanceof Http2ServerRequest) {
    scheme = incoming.scheme;
    if (!(scheme === "http" || scheme === "https")) {
      throw new RequestError("Unsupported scheme");
    }
  } else {
    scheme = incoming.socket && incoming.socket.encrypted ? "https" : "http";
  }
  validateRequestTarget(incomingUrl);
  const url = new URL(`${scheme}://${host}${incomingUrl}`);
  if (url.hostname.length !== host.length && url.hostname !== host.replace(/:\d+$/, "")) {
    throw new RequestError("Invalid host header");
  }
  req[urlKey] = url.href;
  return req;
};
var responseCache = /* @__PURE__ */ Symbol("responseCache");
var getResponseCache = /* @__PURE__ */ Symbol("getResponseCache");
var cacheKey = /* @__PURE__ */ Symbol("cache");
var GlobalResponse = global.Response;
var Response2 = class _Response {
  #body;
  #init;
  [getResponseCache]() {
    delete this[cacheKey];
    return this[responseCache] ||= new GlobalResponse(this.#body, this.#init);
  }
  constructor(body, init) {
    let headers;
    this.#body = body;
    if (init instanceof _Response) {
      const cachedGlobalResponse = init[responseCache];
      if (cachedGlobalResponse) {
        this.#init = cachedGlobalResponse;
        this[getResponseCache]();
        return;
      } else {
        this.#init = init.#init;
        headers = new Headers(init.#init.headers);
      }
    } else {
      this.#init = init;
    }
    if (typeof body === "string" || typeof body?.getReader !== "undefined" || body instanceof Blob || body instanceof Uint8Array) {
      ;
      this[cacheKey] = [init?.status || 200, body, headers || init?.headers];
    }
  }
  get headers() {
    const cache = this[cacheKey];
    if (cache) {
      if (!(cache[2] instanceof Headers)) {
        cache[2] = new Headers(
          cache[2] || { "content-type": "text/plain; charset=UTF-8" }
        );
      }
      return cache[2];
    }
    return this[getResponseCache]().headers;
  }
  get status() {
    return this[cacheKey]?.[0] ?? this[getResponseCache]().status;
  }
  get ok() {
    const status = this.status;
    return status >= 200 && status < 300;
  }
};
["body", "bodyUsed", "redirected", "statusText", "trailers", "type", "url"].forEach((k) => {
  Object.defineProperty(Response2.prototype, k, {
    get() {
      return this[getResponseCache]()[k];
    }
  });
});
["arrayBuffer", "blob", "clone", "formData", "json", "text"].forEach((k) => {
  Object.defineProperty(Response2.prototype, k, {
    value: function() {
      return this[getResponseCache]()[k]();
    }
  });
});
Object.defineProperty(Response2.prototype, /* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom"), {
  value: function(depth, options, inspectFn) {
    const props = {
      status: this.status,
      headers: this.headers,
      ok: this.ok,
      nativeResponse: this[responseCache]
    };
    return `Response (lightweight) ${inspectFn(props, { ...options, depth: depth == null ? null : depth - 1 })}`;
  }
});
Object.setPrototypeOf(Response2, GlobalResponse);
Object.setPrototypeOf(Response2.prototype, GlobalResponse.prototype);
async function readWithoutBlocking(readPromise) {
  return Promise.race([readPromise, Promise.resolve().then(() => Promise.resolve(void 0))]);
}
function writeFromReadableStreamDefaultReader(reader, writable, currentReadPromise) {
  const cancel = (error) => {
    reader.cancel(error).catch(() => {
    });
  };
  writable.on("close", cancel);
  writable.on("error", cancel);
  (currentReadPromise ?? reader.read()).then(flow, handleStreamError);
  return reader.closed.finally(() => {
    writable.off("close", cancel);
    writable.off("error", cancel);
  });
  function handleStreamError(error) {
    if (error) {
      writable.destroy(error);
    }
  }
  function onDrain() {
    reader.read().then(flow, handleStreamError);
  }
  function flow({ done, value }) {
    try {
      if (done) {
        writable.end();
      } else if (!writable.write(value)) {
        writable.once("drain", onDrain);
      } else {
        return reader.read().then(flow, handleStreamError);
      }
    } catch (e) {
      handleStreamError(e);
    }
  }
}
function writeFromReadableStream(stream2, writable) {
  if (stream2.locked) {
    throw new TypeError("ReadableStream is locked.");
  } else if (writable.destroyed) {
    return;
  }
  return writeFromReadableStreamDefaultReader(stream2.getReader(), writable);
}
var buildOutgoingHttpHeaders = (headers) => {
  const res = {};
  if (!(headers instanceof Headers)) {
    headers = new Headers(headers ?? void 0);
  }
  const cookies = [];
  for (const [k, v] of headers) {
    if (k === "set-cookie") {
      cookies.push(v);
    } else {
      res[k] = v;
    }
  }
  if (cookies.length > 0) {
    res["set-cookie"] = cookies;
  }
  res["content-type"] ??= "text/plain; charset=UTF-8";
  return res;
};
var X_ALREADY_SENT = "x-hono-already-sent";
if (typeof global.crypto === "undefined") {
  global.crypto = crypto;
}
var outgoingEnded = /* @__PURE__ */ Symbol("outgoingEnded");
var incomingDraining = /* @__PURE__ */ Symbol("incomingDraining");
var DRAIN_TIMEOUT_MS = 500;
var MAX_DRAIN_BYTES = 64 * 1024 * 1024;
var drainIncoming = (incoming) => {
  const incomingWithDrainState = incoming;
  if (incoming.destroyed || incomingWithDrainState[incomingDraining]) {
    return;
  }
  incomingWithDrainState[incomingDraining] = true;
  if (incoming instanceof Http2ServerRequest2) {
    try {
      ;
      incoming.stream?.close?.(h2constants.NGHTTP2_NO_ERROR);
    } catch {
    }
    return;
  }
  let bytesRead = 0;
  const cleanup = () => {
    clearTimeout(timer);
    incoming.off("data", onData);
    incoming.off("end", cleanup);
    incoming.off("error", cleanup);
  };
  const forceClose = () => {
    cleanup();
    const socket = incoming.socket;
    if (socket && !socket.destroyed) {
      socket.destroySoon();
    }
  };
  const timer = setTimeout(forceClose, DRAIN_TIMEOUT_MS);
  timer.unref?.();
  const onData = (chunk) => {
    bytesRead += chunk.length;
    if (bytesRead > MAX_DRAIN_BYTES) {
      forceClose();
    }
  };
  incoming.on("data", onData);
  incoming.on("end", cleanup);
  incoming.on("error", cleanup);
  incoming.resume();
};
var handleRequestError = () => new Response(null, {
  status: 400
});
var handleFetchError = (e) => new Response(null, {
  status: e instanceof Error && (e.name === "TimeoutError" || e.constructor.name === "TimeoutError") ? 504 : 500
});
var handleResponseError = (e, outgoing) => {
  const err2 = e instanceof Error ? e : new Error("unknown error", { cause: e });
  if (err2.code === "ERR_STREAM_PREMATURE_CLOSE") {
    console.info("The user aborted a request.");
  } else {
    console.error(e);
    if (!outgoing.headersSent) {
      outgoing.writeHead(500, { "Content-Type": "text/plain" });
    }
    outgoing.end(`Error: ${err2.message}`);
    outgoing.destroy(err2);
  }
};
var flushHeaders = (outgoing) => {
  if ("flushHeaders" in outgoing && outgoing.writable) {
    outgoing.flushHeaders();
  }
};
var responseViaCache = async (res, outgoing) => {
  let [status, body, header2] = res[cacheKey];
  let hasContentLength = false;
  if (!header2) {
    header2 = { "content-type": "text/plain; charset=UTF-8" };
  } else if (header2 instanceof Headers) {
    hasContentLength = header2.has("content-length");
    header2 = buildOutgoingHttpHeaders(header2);
  } else if (Array.isArray(header2)) {
    const headerObj = new Headers(header2);
    hasContentLength = headerObj.has("content-length");
    header2 = buildOutgoingHttpHeaders(headerObj);
  } else {
    for (const key in header2) {
      if (key.length === 14 && key.toLowerCase() === "content-length") {
        hasContentLength = true;
        break;
      }
    }
  }
  if (!hasContentLength) {
    if (typeof body === "string") {
      header2["Content-Length"] = Buffer.byteLength(body);
    } else if (body instanceof Uint8Array) {
      header2["Content-Length"] = body.byteLength;
    } else if (body instanceof Blob) {
      header2["Content-Length"] = body.size;
    }
  }
  outgoing.writeHead(status, header2);
  if (typeof body === "string" || body instanceof Uint8Array) {
    outgoing.end(body);
  } else if (body instanceof Blob) {
    outgoing.end(new Uint8Array(await body.arrayBuffer()));
  } else {
    flushHeaders(outgoing);
    await writeFromReadableStream(body, outgoing)?.catch(
      (e) => handleResponseError(e, outgoing)
    );
  }
  ;
  outgoing[outgoingEnded]?.();
};
var isPromise = (res) => typeof res.then === "function";
var responseViaResponseObject = async (res, outgoing, options = {}) => {
  if (isPromise(res)) {
    if (options.errorHandler) {
      try {
        res = await res;
      } catch (err2) {
        const errRes = await options.errorHandler(err2);
        if (!errRes) {
          return;
        }
        res = errRes;
      }
    } else {
      res = await res.catch(handleFetchError);
    }
  }
  if (cacheKey in res) {
    return responseViaCache(res, outgoing);
  }
  const resHeaderRecord = buildOutgoingHttpHeaders(res.headers);
  if (res.body) {
    const reader = res.body.getReader();
    const values = [];
    let done = false;
    let currentReadPromise = void 0;
    if (resHeaderRecord["transfer-encoding"] !== "chunked") {
      let maxReadCount = 2;
      for (let i = 0; i < maxReadCount; i++) {
        currentReadPromise ||= reader.read();
        const chunk = await readWithoutBlocking(currentReadPromise).catch((e) => {
          console.error(e);
          done = true;
        });
        if (!chunk) {
          if (i === 1) {
            await new Promise((resolve) => setTimeout(resolve));
            maxReadCount = 3;
            continue;
          }
          break;
        }
        currentReadPromise = void 0;
        if (chunk.value) {
          values.push(chunk.value);
        }
        if (chunk.done) {
          done = true;
          break;
        }
      }
      if (done && !("content-length" in resHeaderRecord)) {
        resHeaderRecord["content-length"] = values.reduce((acc, value) => acc + value.length, 0);
      }
    }
    outgoing.writeHead(res.status, resHeaderRecord);
    values.forEach((value) => {
      ;
      outgoing.write(value);
    });
    if (done) {
      outgoing.end();
    } else {
      if (values.length === 0) {
        flushHeaders(outgoing);
      }
      await writeFromReadableStreamDefaultReader(reader, outgoing, currentReadPromise);
    }
  } else if (resHeaderRecord[X_ALREADY_SENT]) {
  } else {
    outgoing.writeHead(res.status, resHeaderRecord);
    outgoing.end();
  }
  ;
  outgoing[outgoingEnded]?.();
};
var getRequestListener = (fetchCallback, options = {}) => {
  const autoCleanupIncoming = options.autoCleanupIncoming ?? true;
  if (options.overrideGlobalObjects !== false && global.Request !== Request) {
    Object.defineProperty(global, "Request", {
      value: Request
    });
    Object.defineProperty(global, "Response", {
      value: Response2
    });
  }
  return async (incoming, outgoing) => {
    let res, req;
    try {
      req = newRequest(incoming, options.hostname);
      let incomingEnded = !autoCleanupIncoming || incoming.method === "GET" || incoming.method === "HEAD";
      if (!incomingEnded) {
        ;
        incoming[wrapBodyStream] = true;
        incoming.on("end", () => {
          incomingEnded = true;
        });
        if (incoming instanceof Http2ServerRequest2) {
          ;
          outgoing[outgoingEnded] = () => {
            if (!incomingEnded) {
              setTimeout(() => {
                if (!incomingEnded) {
                  setTimeout(() => {
                    drainIncoming(incoming);
                  });
                }
              });
            }
          };
        }
        outgoing.on("finish", () => {
          if (!incomingEnded) {
            drainIncoming(incoming);
          }
        });
      }
      outgoing.on("close", () => {
        const abortController = req[abortControllerKey];
        if (abortController) {
          if (incoming.errored) {
            req[abortControllerKey].abort(incoming.errored.toString());
          } else if (!outgoing.writableFinished) {
            req[abortControllerKey].abort("Client connection prematurely closed.");
          }
        }
        if (!incomingEnded) {
          setTimeout(() => {
            if (!incomingEnded) {
              setTimeout(() => {
                drainIncoming(incoming);
              });
            }
          });
        }
      });
      res = fetchCallback(req, { incoming, outgoing });
      if (cacheKey in res) {
        return responseViaCache(res, outgoing);
      }
    } catch (e) {
      if (!res) {
        if (options.errorHandler) {
          res = await options.errorHandler(req ? e : toRequestError(e));
          if (!res) {
            return;
          }
        } else if (!req) {
          res = handleRequestError();
        } else {
          res = handleFetchError(e);
        }
      } else {
        return handleResponseError(e, outgoing);
      }
    }
    try {
      return await responseViaResponseObject(res, outgoing, options);
    } catch (e) {
      return handleResponseError(e, outgoing);
    }
  };
};

// dist/api/same-origin.js
var SAFE = /* @__PURE__ */ new Set(["GET", "HEAD", "OPTIONS"]);
function sameOriginOnly() {
  return async (c, next) => {
    if (SAFE.has(c.req.method))
      return next();
    const origin = c.req.header("origin");
    const fetchSite = c.req.header("sec-fetch-site");
    const host = c.req.header("host");
    const sameOrigin = origin !== void 0 ? host !== void 0 && originMatches(origin, host) : fetchSite === void 0 || fetchSite === "same-origin";
    const browserless = origin === void 0 && fetchSite === void 0;
    if (!sameOrigin || browserless && !/^Bearer\s/i.test(c.req.header("authorization") ?? "")) {
      return c.json(apiError("forbidden_origin", "kx: cross-site request refused"), 403);
    }
    return next();
  };
}
function originMatches(origin, host) {
  try {
    const o = new URL(origin);
    return (o.protocol === "http:" || o.protocol === "https:") && o.host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

// dist/api/console-page.js
import fs from "node:fs";
import path from "node:path";
var NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kx</title></head>
<body><h1>kx console is not built</h1><p>Run <code>npm run build:ui</code> (or <code>npm start</code>, which builds it), then reload.</p></body></html>`;
var TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
  ".png": "image/png"
};
function consolePage(dist = UI_DIST) {
  try {
    return fs.readFileSync(path.join(dist, "index.html"), "utf8");
  } catch {
    return NOT_BUILT;
  }
}
function consoleAsset(dist = UI_DIST) {
  return (c) => {
    const name = c.req.param("file") ?? "";
    const type = TYPES[path.extname(name)];
    if (!/^[\w.-]+$/.test(name) || name.startsWith(".") || !type)
      return c.notFound();
    let body;
    try {
      body = fs.readFileSync(path.join(dist, "assets", name));
    } catch {
      return c.notFound();
    }
    return c.body(new Uint8Array(body), 200, { "content-type": type, "cache-control": "private, max-age=31536000, immutable" });
  };
}

// dist/api/session-export.js
var KIND_LABEL = {
  human_message: "Human",
  assistant_message: "Agent",
  reasoning: "Reasoning summary",
  tool_call: "Tool call",
  tool_output: "Tool output",
  compaction: "Compaction"
};
var exported = (i) => i.kind in KIND_LABEL;
function itemLabel(i) {
  return i.kind === "tool_call" && i.toolName ? `${KIND_LABEL[i.kind]}: ${i.toolName}` : KIND_LABEL[i.kind] ?? i.kind;
}
function itemBody(i) {
  if (i.kind === "tool_call")
    return prettyJson(i.arguments ?? "");
  if (i.kind === "tool_output")
    return i.output ?? "";
  return i.text ?? "";
}
function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
function turnFacts(s, t) {
  const reqs = s.requests.filter((r) => r.turnId === t.id);
  const tokens = reqs.reduce((n, r) => n + (r.usage.totalTokens ?? 0), 0);
  const ms = reqs.reduce((n, r) => n + (r.durationMs ?? 0), 0);
  return `${t.status}, ${reqs.length} request${reqs.length === 1 ? "" : "s"}, ${tokens} tokens, ${Math.round(ms)} ms`;
}
function fenced(text) {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}text
${text}
${fence}`;
}
function exportTitle(s) {
  const first2 = s.turns.flatMap((t) => t.items).find((i) => i.kind === "human_message" && i.text?.trim())?.text ?? "";
  const line = first2.replace(/\s+/g, " ").trim();
  if (!line)
    return `Session ${s.id}`;
  return line.length > 90 ? `${line.slice(0, 89).trimEnd()}\u2026` : line;
}
function sessionFacts(s) {
  return [
    ["Title", exportTitle(s)],
    ["Project", s.cwd ?? s.project ?? "not known"],
    ["Started", s.startedAt],
    [s.endedAt ? "Ended" : "Last activity", s.endedAt ?? s.lastActivityAt],
    ["Turns", String(s.turnCount)],
    ["Tokens", String(s.usage.totalTokens)],
    ["Client", s.client ?? "unknown"],
    ["Session", s.id]
  ];
}
function sessionMarkdown(s) {
  const facts = sessionFacts(s);
  const out = [`# kx session of ${s.startedAt.slice(0, 10)}`, "", "Its title, project and dates, as recorded:", "", fenced(facts.map(([k, v]) => `${k.toLowerCase()}: ${v}`).join("\n"))];
  for (const t of s.turns) {
    out.push("", `## Turn ${t.seq}`, "", `(${turnFacts(s, t)})`);
    for (const i of t.items.filter(exported))
      out.push("", `**${itemLabel(i).replace(/[^\w :.-]/g, "")}**`, "", fenced(itemBody(i)));
  }
  return out.join("\n") + "\n";
}
var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
var escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
var STYLE = `
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6e8eb;background:#15181c}pre{background:#1f2329!important}}
pre{white-space:pre-wrap;word-break:break-word;background:#f3f4f6;padding:.6rem .8rem;border-radius:6px;font:13px/1.45 ui-monospace,monospace}
table.facts th{text-align:left;font-weight:600;padding-right:1rem}
h2{margin-top:2rem;border-top:1px solid #8884;padding-top:1rem}.facts{color:#6b7280;font-size:13px}.label{font-weight:600;margin:.8rem 0 .2rem}`;
function sessionHtml(s) {
  const e = escapeHtml;
  const turns = s.turns.map((t) => {
    const items = t.items.filter(exported).map((i) => `<div class="label">${e(itemLabel(i))}</div><pre>${e(itemBody(i))}</pre>`).join("\n");
    return `<section id="turn-${t.seq}"><h2>Turn ${t.seq}</h2><p class="facts">${e(turnFacts(s, t))}</p>
${items}</section>`;
  }).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(exportTitle(s))} \xB7 kx session</title><style>${STYLE}</style></head>
<body><h1>${e(exportTitle(s))}</h1>
<table class="facts">${sessionFacts(s).slice(1).map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`).join("")}</table>
${turns}
</body></html>
`;
}
function exportSession(s, format) {
  const safeId = s.id.replace(/[^\w.-]/g, "_").slice(0, 80);
  return format === "md" ? { body: sessionMarkdown(s), contentType: "text/markdown; charset=utf-8", fileName: `kx-session-${safeId}.md` } : { body: sessionHtml(s), contentType: "text/html; charset=utf-8", fileName: `kx-session-${safeId}.html` };
}

// dist/api/console-routes.js
var isoDate = external_exports.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, "an ISO date such as 2026-11-27").refine((s) => !Number.isNaN(Date.parse(s)), "not a date").transform((s) => new Date(s).toISOString());
var sessionsQuery = external_exports.object({
  limit: external_exports.coerce.number().int().min(1).max(500).default(50),
  cursor: external_exports.string().max(500).optional(),
  client: external_exports.string().max(500).optional(),
  project: external_exports.string().max(500).optional(),
  from: isoDate.optional(),
  to: isoDate.optional()
});
var searchQuery = external_exports.object({
  q: external_exports.string().max(1e3).default(""),
  project: external_exports.string().max(500).optional(),
  limit: external_exports.coerce.number().int().min(1).max(100).default(20),
  offset: external_exports.coerce.number().int().min(0).max(1e4).default(0)
});
var exportQuery = external_exports.object({ format: external_exports.enum(["md", "html"]).default("html") });
var badRequest = (error) => apiError("invalid_request_error", everyIssue(error));
var notFound = apiError("not_found", "no such session");
function registerConsoleRoutes(app, deps) {
  app.get("/api/sessions", (c) => {
    const q = sessionsQuery.safeParse(c.req.query());
    if (!q.success)
      return c.json(badRequest(q.error), 400);
    const page = deps.sessionList.page(q.data);
    return c.json(page);
  });
  app.get("/api/search", (c) => {
    const q = searchQuery.safeParse(c.req.query());
    if (!q.success)
      return c.json(badRequest(q.error), 400);
    const hits = deps.search.search(q.data.q, { project: q.data.project, limit: q.data.limit + 1, offset: q.data.offset });
    const labels = /* @__PURE__ */ new Map();
    const label = (id) => labels.has(id) ? labels.get(id) : (labels.set(id, deps.reader.sessionLabel(id)), labels.get(id));
    const named = hits.slice(0, q.data.limit).map((h) => {
      const l = h.sessionId ? label(h.sessionId) : void 0;
      return l ? { ...h, sessionTitle: l.title, sessionStartedAt: l.startedAt, project: h.project ?? l.project, projectName: l.projectName } : h;
    });
    const body = { query: q.data.q, hits: named, more: hits.length > q.data.limit };
    return c.json(body);
  });
  app.get("/api/sessions/:id/export", (c) => {
    const q = exportQuery.safeParse(c.req.query());
    if (!q.success)
      return c.json(badRequest(q.error), 400);
    const session = deps.reader.getSession(c.req.param("id"));
    if (!session)
      return c.json(notFound, 404);
    const file = exportSession(session, q.data.format);
    return c.body(file.body, 200, { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.fileName}"` });
  });
}

// node_modules/hono/dist/utils/stream.js
var StreamingApi = class {
  writer;
  encoder;
  writable;
  abortSubscribers = [];
  responseReadable;
  /**
  * Whether the stream has been aborted.
  */
  aborted = false;
  /**
  * Whether the stream has been closed normally.
  */
  closed = false;
  constructor(writable, _readable) {
    this.writable = writable;
    this.writer = writable.getWriter();
    this.encoder = new TextEncoder();
    const reader = _readable.getReader();
    this.abortSubscribers.push(async () => {
      await reader.cancel();
    });
    this.responseReadable = new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read();
        done ? controller.close() : controller.enqueue(value);
      },
      cancel: () => {
        if (!this.closed) this.abort();
      }
    });
  }
  async write(input) {
    try {
      if (typeof input === "string") input = this.encoder.encode(input);
      await this.writer.write(input);
    } catch {
    }
    return this;
  }
  async writeln(input) {
    await this.write(input + "\n");
    return this;
  }
  sleep(ms) {
    return new Promise((res) => setTimeout(res, ms));
  }
  async close() {
    this.closed = true;
    try {
      await this.writer.close();
    } catch {
    }
  }
  async pipe(body) {
    this.writer.releaseLock();
    try {
      await body.pipeTo(this.writable, {
        preventClose: true,
        preventAbort: true
      });
    } finally {
      this.writer = this.writable.getWriter();
    }
  }
  onAbort(listener) {
    this.abortSubscribers.push(listener);
  }
  /**
  * Abort the stream.
  * You can call this method when stream is aborted by external event.
  */
  abort() {
    if (!this.aborted) {
      this.aborted = true;
      this.abortSubscribers.forEach((subscriber) => {
        try {
          Promise.resolve(subscriber()).catch(() => {
          });
        } catch {
        }
      });
    }
  }
};

// node_modules/hono/dist/helper/streaming/utils.js
var isOldBunVersion = () => {
  const version = typeof Bun !== "undefined" ? Bun.version : void 0;
  if (version === void 0) return false;
  const result = version.startsWith("1.1") || version.startsWith("1.0") || version.startsWith("0.");
  isOldBunVersion = () => result;
  return result;
};

// node_modules/hono/dist/helper/streaming/sse.js
var SSEStreamingApi = class extends StreamingApi {
  constructor(writable, readable) {
    super(writable, readable);
  }
  async writeSSE(message) {
    const dataLines = (await resolveCallback(message.data, HtmlEscapedCallbackPhase.Stringify, false, {})).split(/\r\n|\r|\n/).map((line) => {
      return `data: ${line}`;
    }).join("\n");
    for (const key of ["event", "id"]) {
      const value = message[key];
      if (value && /[\r\n]/.test(value)) throw new Error(`${key} must not contain "\\r" or "\\n"`);
    }
    const sseData = [
      message.event && `event: ${message.event}`,
      dataLines,
      message.id !== void 0 && `id: ${message.id}`,
      message.retry !== void 0 && `retry: ${message.retry}`
    ].filter(Boolean).join("\n") + "\n\n";
    await this.write(sseData);
  }
};
var run = async (stream2, cb, onError) => {
  try {
    await cb(stream2);
  } catch (e) {
    if (e instanceof Error && onError) {
      await onError(e, stream2);
      await stream2.writeSSE({
        event: "error",
        data: e.message
      });
    } else console.error(e);
  } finally {
    stream2.close();
  }
};
var contextStash = /* @__PURE__ */ new WeakMap();
var streamSSE = (c, cb, onError) => {
  const { readable, writable } = new TransformStream();
  const stream2 = new SSEStreamingApi(writable, readable);
  if (isOldBunVersion()) c.req.raw.signal.addEventListener("abort", () => {
    if (!stream2.closed) stream2.abort();
  });
  contextStash.set(stream2.responseReadable, c);
  c.header("Transfer-Encoding", "chunked");
  c.header("Content-Type", "text/event-stream");
  c.header("Cache-Control", "no-cache");
  c.header("Connection", "keep-alive");
  run(stream2, cb, onError);
  return c.newResponse(stream2.responseReadable);
};

// dist/api/events-route.js
var KEEPALIVE_MS = 15e3;
var MAX_QUEUED = 1e3;
function eventsRoute(live) {
  return (c) => streamSSE(c, async (stream2) => {
    const queue = [];
    let wake;
    const unsubscribe = live.subscribe((e) => {
      if (queue.length >= MAX_QUEUED)
        queue.shift();
      queue.push(e);
      wake?.();
    });
    stream2.onAbort(() => {
      unsubscribe();
      wake?.();
    });
    await stream2.writeSSE({ event: "ready", data: "{}" });
    while (!stream2.aborted && !stream2.closed) {
      const next = queue.shift();
      if (next) {
        await stream2.writeSSE({ event: next.type, data: JSON.stringify(next) });
        continue;
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, KEEPALIVE_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = void 0;
      if (queue.length === 0 && !stream2.aborted)
        await stream2.write(": keepalive\n\n");
    }
    unsubscribe();
  });
}

// dist/api/insight-routes.js
var notFound2 = (what) => apiError("not_found", `no such ${what}`);
var badRequest2 = (message) => apiError("invalid_request_error", message);
var Status = gapStatus.optional();
function registerInsightRoutes(app, engine) {
  const reader = engine.reader;
  app.get("/api/sessions/:id/insights", (c) => {
    const id = c.req.param("id");
    if (!reader.session(id))
      return c.json(notFound2("session"), 404);
    return c.json({ sessionId: id, insights: reader.turnInsights(id) });
  });
  app.get("/api/sessions/:id/summary", (c) => {
    const id = c.req.param("id");
    if (!reader.session(id))
      return c.json(notFound2("session"), 404);
    const v = c.req.query("version");
    const version = v === void 0 ? void 0 : Number(v);
    if (version !== void 0 && !Number.isInteger(version))
      return c.json(badRequest2("version must be an integer"), 400);
    return c.json({ summary: reader.summary(id, version), versions: reader.summaryVersions(id) });
  });
  app.post("/api/sessions/:id/end", (c) => {
    const ended = engine.endSession(c.req.param("id"));
    return ended ? c.json(ended) : c.json(notFound2("session"), 404);
  });
  app.get("/api/gaps", (c) => {
    const status = Status.safeParse(c.req.query("status") || void 0);
    if (!status.success)
      return c.json(badRequest2("status must be open or resolved"), 400);
    const project = c.req.query("project") || void 0;
    return c.json({ gaps: reader.gaps({ ...status.data ? { status: status.data } : {}, ...project ? { project } : {} }) });
  });
  app.post("/api/gaps/:id", jsonBody(gapUpdate, () => 'the body must be {"status": "open" | "resolved", "note"?: string}'), (c) => {
    const update = c.req.valid("json");
    const id = c.req.param("id");
    if (!engine.setGapStatus(id, update.status, update.note))
      return c.json(notFound2("gap"), 404);
    return c.json(reader.gap(id));
  });
  app.get("/api/projects", (c) => c.json({ projects: reader.projects() }));
  app.get("/api/projects/:id/profile", (c) => {
    const profile = engine.profile(c.req.param("id"));
    if (!profile)
      return c.json(notFound2("project"), 404);
    const view = profile;
    return c.json(view);
  });
  app.get("/api/insight/status", (c) => c.json(engine.status()));
}

// node_modules/diff/libesm/diff/base.js
var Diff = class {
  diff(oldStr, newStr, options = {}) {
    let callback;
    if (typeof options === "function") {
      callback = options;
      options = {};
    } else if ("callback" in options) {
      callback = options.callback;
    }
    const oldString = this.castInput(oldStr, options);
    const newString = this.castInput(newStr, options);
    const oldTokens = this.removeEmpty(this.tokenize(oldString, options));
    const newTokens = this.removeEmpty(this.tokenize(newString, options));
    return this.diffWithOptionsObj(oldTokens, newTokens, options, callback);
  }
  diffWithOptionsObj(oldTokens, newTokens, options, callback) {
    var _a;
    const done = (value) => {
      value = this.postProcess(value, options);
      if (callback) {
        setTimeout(function() {
          callback(value);
        }, 0);
        return void 0;
      } else {
        return value;
      }
    };
    const newLen = newTokens.length, oldLen = oldTokens.length;
    let editLength = 1;
    let maxEditLength = newLen + oldLen;
    if (options.maxEditLength != null) {
      maxEditLength = Math.min(maxEditLength, options.maxEditLength);
    }
    const maxExecutionTime = (_a = options.timeout) !== null && _a !== void 0 ? _a : Infinity;
    const abortAfterTimestamp = Date.now() + maxExecutionTime;
    const bestPath = [{ oldPos: -1, lastComponent: void 0 }];
    let newPos = this.extractCommon(bestPath[0], newTokens, oldTokens, 0, options);
    if (bestPath[0].oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
      return done(this.buildValues(bestPath[0].lastComponent, newTokens, oldTokens));
    }
    let minDiagonalToConsider = -Infinity, maxDiagonalToConsider = Infinity;
    const execEditLength = () => {
      for (let diagonalPath = Math.max(minDiagonalToConsider, -editLength); diagonalPath <= Math.min(maxDiagonalToConsider, editLength); diagonalPath += 2) {
        let basePath;
        const removePath = bestPath[diagonalPath - 1], addPath = bestPath[diagonalPath + 1];
        if (removePath) {
          bestPath[diagonalPath - 1] = void 0;
        }
        let canAdd = false;
        if (addPath) {
          const addPathNewPos = addPath.oldPos - diagonalPath;
          canAdd = addPath && 0 <= addPathNewPos && addPathNewPos < newLen;
        }
        const canRemove = removePath && removePath.oldPos + 1 < oldLen;
        if (!canAdd && !canRemove) {
          bestPath[diagonalPath] = void 0;
          continue;
        }
        if (!canRemove || canAdd && removePath.oldPos < addPath.oldPos) {
          basePath = this.addToPath(addPath, true, false, 0, options);
        } else {
          basePath = this.addToPath(removePath, false, true, 1, options);
        }
        newPos = this.extractCommon(basePath, newTokens, oldTokens, diagonalPath, options);
        if (basePath.oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
          return done(this.buildValues(basePath.lastComponent, newTokens, oldTokens)) || true;
        } else {
          bestPath[diagonalPath] = basePath;
          if (basePath.oldPos + 1 >= oldLen) {
            maxDiagonalToConsider = Math.min(maxDiagonalToConsider, diagonalPath - 1);
          }
          if (newPos + 1 >= newLen) {
            minDiagonalToConsider = Math.max(minDiagonalToConsider, diagonalPath + 1);
          }
        }
      }
      editLength++;
    };
    if (callback) {
      (function exec() {
        setTimeout(function() {
          if (editLength > maxEditLength || Date.now() > abortAfterTimestamp) {
            return callback(void 0);
          }
          if (!execEditLength()) {
            exec();
          }
        }, 0);
      })();
    } else {
      while (editLength <= maxEditLength && Date.now() <= abortAfterTimestamp) {
        const ret = execEditLength();
        if (ret) {
          return ret;
        }
      }
    }
  }
  addToPath(path5, added, removed, oldPosInc, options) {
    const last = path5.lastComponent;
    if (last && !options.oneChangePerToken && last.added === added && last.removed === removed) {
      return {
        oldPos: path5.oldPos + oldPosInc,
        lastComponent: { count: last.count + 1, added, removed, previousComponent: last.previousComponent }
      };
    } else {
      return {
        oldPos: path5.oldPos + oldPosInc,
        lastComponent: { count: 1, added, removed, previousComponent: last }
      };
    }
  }
  extractCommon(basePath, newTokens, oldTokens, diagonalPath, options) {
    const newLen = newTokens.length, oldLen = oldTokens.length;
    let oldPos = basePath.oldPos, newPos = oldPos - diagonalPath, commonCount = 0;
    while (newPos + 1 < newLen && oldPos + 1 < oldLen && this.equals(oldTokens[oldPos + 1], newTokens[newPos + 1], options)) {
      newPos++;
      oldPos++;
      commonCount++;
      if (options.oneChangePerToken) {
        basePath.lastComponent = { count: 1, previousComponent: basePath.lastComponent, added: false, removed: false };
      }
    }
    if (commonCount && !options.oneChangePerToken) {
      basePath.lastComponent = { count: commonCount, previousComponent: basePath.lastComponent, added: false, removed: false };
    }
    basePath.oldPos = oldPos;
    return newPos;
  }
  equals(left, right, options) {
    if (options.comparator) {
      return options.comparator(left, right);
    } else {
      return left === right || !!options.ignoreCase && left.toLowerCase() === right.toLowerCase();
    }
  }
  removeEmpty(array) {
    const ret = [];
    for (let i = 0; i < array.length; i++) {
      if (array[i]) {
        ret.push(array[i]);
      }
    }
    return ret;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  castInput(value, options) {
    return value;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  tokenize(value, options) {
    return Array.from(value);
  }
  join(chars) {
    return chars.join("");
  }
  postProcess(changeObjects, options) {
    return changeObjects;
  }
  get useLongestToken() {
    return false;
  }
  buildValues(lastComponent, newTokens, oldTokens) {
    const components = [];
    let nextComponent;
    while (lastComponent) {
      components.push(lastComponent);
      nextComponent = lastComponent.previousComponent;
      delete lastComponent.previousComponent;
      lastComponent = nextComponent;
    }
    components.reverse();
    const componentLen = components.length;
    let componentPos = 0, newPos = 0, oldPos = 0;
    for (; componentPos < componentLen; componentPos++) {
      const component = components[componentPos];
      if (!component.removed) {
        if (!component.added && this.useLongestToken) {
          let value = newTokens.slice(newPos, newPos + component.count);
          value = value.map(function(value2, i) {
            const oldValue = oldTokens[oldPos + i];
            return oldValue.length > value2.length ? oldValue : value2;
          });
          component.value = this.join(value);
        } else {
          component.value = this.join(newTokens.slice(newPos, newPos + component.count));
        }
        newPos += component.count;
        if (!component.added) {
          oldPos += component.count;
        }
      } else {
        component.value = this.join(oldTokens.slice(oldPos, oldPos + component.count));
        oldPos += component.count;
      }
    }
    return components;
  }
};

// node_modules/diff/libesm/util/string.js
function longestCommonPrefix(str1, str2) {
  let i;
  for (i = 0; i < str1.length && i < str2.length; i++) {
    if (str1[i] != str2[i]) {
      return str1.slice(0, i);
    }
  }
  return str1.slice(0, i);
}
function longestCommonSuffix(str1, str2) {
  let i;
  if (!str1 || !str2 || str1[str1.length - 1] != str2[str2.length - 1]) {
    return "";
  }
  for (i = 0; i < str1.length && i < str2.length; i++) {
    if (str1[str1.length - (i + 1)] != str2[str2.length - (i + 1)]) {
      return str1.slice(-i);
    }
  }
  return str1.slice(-i);
}
function replacePrefix(string, oldPrefix, newPrefix) {
  if (string.slice(0, oldPrefix.length) != oldPrefix) {
    throw Error(`string ${JSON.stringify(string)} doesn't start with prefix ${JSON.stringify(oldPrefix)}; this is a bug`);
  }
  return newPrefix + string.slice(oldPrefix.length);
}
function replaceSuffix(string, oldSuffix, newSuffix) {
  if (!oldSuffix) {
    return string + newSuffix;
  }
  if (string.slice(-oldSuffix.length) != oldSuffix) {
    throw Error(`string ${JSON.stringify(string)} doesn't end with suffix ${JSON.stringify(oldSuffix)}; this is a bug`);
  }
  return string.slice(0, -oldSuffix.length) + newSuffix;
}
function removePrefix(string, oldPrefix) {
  return replacePrefix(string, oldPrefix, "");
}
function removeSuffix(string, oldSuffix) {
  return replaceSuffix(string, oldSuffix, "");
}
function maximumOverlap(string1, string2) {
  return string2.slice(0, overlapCount(string1, string2));
}
function overlapCount(a, b) {
  let startA = 0;
  if (a.length > b.length) {
    startA = a.length - b.length;
  }
  let endB = b.length;
  if (a.length < b.length) {
    endB = a.length;
  }
  const map = Array(endB);
  let k = 0;
  map[0] = 0;
  for (let j2 = 1; j2 < endB; j2++) {
    if (b[j2] == b[k]) {
      map[j2] = map[k];
    } else {
      map[j2] = k;
    }
    while (k > 0 && b[j2] != b[k]) {
      k = map[k];
    }
    if (b[j2] == b[k]) {
      k++;
    }
  }
  k = 0;
  for (let i = startA; i < a.length; i++) {
    while (k > 0 && a[i] != b[k]) {
      k = map[k];
    }
    if (a[i] == b[k]) {
      k++;
    }
  }
  return k;
}
function segment(string, segmenter) {
  const parts = [];
  for (const segmentObj of Array.from(segmenter.segment(string))) {
    const segment2 = segmentObj.segment;
    if (parts.length && /\s/.test(parts[parts.length - 1]) && /\s/.test(segment2)) {
      parts[parts.length - 1] += segment2;
    } else {
      parts.push(segment2);
    }
  }
  return parts;
}
function trailingWs(string, segmenter) {
  if (segmenter) {
    return leadingAndTrailingWs(string, segmenter)[1];
  }
  let i;
  for (i = string.length - 1; i >= 0; i--) {
    if (!string[i].match(/\s/)) {
      break;
    }
  }
  return string.substring(i + 1);
}
function leadingWs(string, segmenter) {
  if (segmenter) {
    return leadingAndTrailingWs(string, segmenter)[0];
  }
  const match = string.match(/^\s*/);
  return match ? match[0] : "";
}
function leadingAndTrailingWs(string, segmenter) {
  if (!segmenter) {
    return [leadingWs(string), trailingWs(string)];
  }
  if (segmenter.resolvedOptions().granularity != "word") {
    throw new Error('The segmenter passed must have a granularity of "word"');
  }
  const segments = segment(string, segmenter);
  const firstSeg = segments[0];
  const lastSeg = segments[segments.length - 1];
  const head = /\s/.test(firstSeg) ? firstSeg : "";
  const tail = /\s/.test(lastSeg) ? lastSeg : "";
  return [head, tail];
}

// node_modules/diff/libesm/diff/word.js
var extendedWordChars = "a-zA-Z0-9_\\u{AD}\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{2C6}\\u{2C8}-\\u{2D7}\\u{2DE}-\\u{2FF}\\u{1E00}-\\u{1EFF}";
var tokenizeIncludingWhitespace = new RegExp(`[${extendedWordChars}]+|\\s+|[^${extendedWordChars}]`, "ug");
var WordDiff = class extends Diff {
  equals(left, right, options) {
    if (options.ignoreCase) {
      left = left.toLowerCase();
      right = right.toLowerCase();
    }
    return left.trim() === right.trim();
  }
  tokenize(value, options = {}) {
    let parts;
    if (options.intlSegmenter) {
      const segmenter = options.intlSegmenter;
      if (segmenter.resolvedOptions().granularity != "word") {
        throw new Error('The segmenter passed must have a granularity of "word"');
      }
      parts = segment(value, segmenter);
    } else {
      parts = value.match(tokenizeIncludingWhitespace) || [];
    }
    const tokens = [];
    let prevPart = null;
    parts.forEach((part) => {
      if (/\s/.test(part)) {
        if (prevPart == null) {
          tokens.push(part);
        } else {
          tokens.push(tokens.pop() + part);
        }
      } else if (prevPart != null && /\s/.test(prevPart)) {
        if (tokens[tokens.length - 1] == prevPart) {
          tokens.push(tokens.pop() + part);
        } else {
          tokens.push(prevPart + part);
        }
      } else {
        tokens.push(part);
      }
      prevPart = part;
    });
    return tokens;
  }
  join(tokens) {
    return tokens.map((token, i) => {
      if (i == 0) {
        return token;
      } else {
        return token.replace(/^\s+/, "");
      }
    }).join("");
  }
  postProcess(changes, options) {
    if (!changes || options.oneChangePerToken) {
      return changes;
    }
    let lastKeep = null;
    let insertion = null;
    let deletion = null;
    changes.forEach((change) => {
      if (change.added) {
        insertion = change;
      } else if (change.removed) {
        deletion = change;
      } else {
        if (insertion || deletion) {
          dedupeWhitespaceInChangeObjects(lastKeep, deletion, insertion, change, options.intlSegmenter);
        }
        lastKeep = change;
        insertion = null;
        deletion = null;
      }
    });
    if (insertion || deletion) {
      dedupeWhitespaceInChangeObjects(lastKeep, deletion, insertion, null, options.intlSegmenter);
    }
    return changes;
  }
};
var wordDiff = new WordDiff();
function diffWords(oldStr, newStr, options) {
  if ((options === null || options === void 0 ? void 0 : options.ignoreWhitespace) != null && !options.ignoreWhitespace) {
    return diffWordsWithSpace(oldStr, newStr, options);
  }
  return wordDiff.diff(oldStr, newStr, options);
}
function dedupeWhitespaceInChangeObjects(startKeep, deletion, insertion, endKeep, segmenter) {
  if (deletion && insertion) {
    const [oldWsPrefix, oldWsSuffix] = leadingAndTrailingWs(deletion.value, segmenter);
    const [newWsPrefix, newWsSuffix] = leadingAndTrailingWs(insertion.value, segmenter);
    if (startKeep) {
      const commonWsPrefix = longestCommonPrefix(oldWsPrefix, newWsPrefix);
      startKeep.value = replaceSuffix(startKeep.value, newWsPrefix, commonWsPrefix);
      deletion.value = removePrefix(deletion.value, commonWsPrefix);
      insertion.value = removePrefix(insertion.value, commonWsPrefix);
    }
    if (endKeep) {
      const commonWsSuffix = longestCommonSuffix(oldWsSuffix, newWsSuffix);
      endKeep.value = replacePrefix(endKeep.value, newWsSuffix, commonWsSuffix);
      deletion.value = removeSuffix(deletion.value, commonWsSuffix);
      insertion.value = removeSuffix(insertion.value, commonWsSuffix);
    }
  } else if (insertion) {
    if (startKeep) {
      const ws = leadingWs(insertion.value, segmenter);
      insertion.value = insertion.value.substring(ws.length);
    }
    if (endKeep) {
      const ws = leadingWs(endKeep.value, segmenter);
      endKeep.value = endKeep.value.substring(ws.length);
    }
  } else if (startKeep && endKeep) {
    const newWsFull = leadingWs(endKeep.value, segmenter), [delWsStart, delWsEnd] = leadingAndTrailingWs(deletion.value, segmenter);
    const newWsStart = longestCommonPrefix(newWsFull, delWsStart);
    deletion.value = removePrefix(deletion.value, newWsStart);
    const newWsEnd = longestCommonSuffix(removePrefix(newWsFull, newWsStart), delWsEnd);
    deletion.value = removeSuffix(deletion.value, newWsEnd);
    endKeep.value = replacePrefix(endKeep.value, newWsFull, newWsEnd);
    startKeep.value = replaceSuffix(startKeep.value, newWsFull, newWsFull.slice(0, newWsFull.length - newWsEnd.length));
  } else if (endKeep) {
    const endKeepWsPrefix = leadingWs(endKeep.value, segmenter);
    const deletionWsSuffix = trailingWs(deletion.value, segmenter);
    const overlap = maximumOverlap(deletionWsSuffix, endKeepWsPrefix);
    deletion.value = removeSuffix(deletion.value, overlap);
  } else if (startKeep) {
    const startKeepWsSuffix = trailingWs(startKeep.value, segmenter);
    const deletionWsPrefix = leadingWs(deletion.value, segmenter);
    const overlap = maximumOverlap(startKeepWsSuffix, deletionWsPrefix);
    deletion.value = removePrefix(deletion.value, overlap);
  }
}
var WordsWithSpaceDiff = class extends Diff {
  tokenize(value) {
    const regex = new RegExp(`(\\r?\\n)|[${extendedWordChars}]+|[^\\S\\n\\r]+|[^${extendedWordChars}]`, "ug");
    return value.match(regex) || [];
  }
};
var wordsWithSpaceDiff = new WordsWithSpaceDiff();
function diffWordsWithSpace(oldStr, newStr, options) {
  return wordsWithSpaceDiff.diff(oldStr, newStr, options);
}

// dist/learn/word-diff.js
function wordDiff2(before, after) {
  return diffWords(before, after).map((c) => ({ op: c.added ? "add" : c.removed ? "del" : "same", text: c.value }));
}

// dist/api/learn-routes.js
var MAX_SESSION_ID = 200;
function approvalView(a) {
  return {
    id: a.id,
    sessionId: a.sessionId,
    project: a.project,
    original: a.original,
    rewrite: a.rewrite,
    diff: a.rewrite === null ? [] : wordDiff2(a.original, a.rewrite),
    gaps: a.gaps,
    snippets: a.snippets,
    reason: a.reason,
    context: a.context,
    status: a.decision,
    created: a.createdAt,
    decidedAt: a.decidedAt,
    finalText: a.finalText
  };
}
var firstIssue = (fallback) => (error) => error.issues[0]?.message ?? fallback;
var badRequest3 = (message) => apiError("invalid_request_error", message);
function registerLearnRoutes(app, learn) {
  app.get("/api/approvals", (c) => {
    const status = c.req.query("status") ?? "pending";
    if (status !== "pending" && status !== "all")
      return c.json(badRequest3("status must be pending or all"), 400);
    return c.json({
      approvals: learn.list(status).map((a) => {
        const expiresAt = a.decision === "pending" ? learn.expiresAt?.(a.id) : void 0;
        return expiresAt ? { ...approvalView(a), expiresAt } : approvalView(a);
      })
    });
  });
  app.post("/api/approvals/:id", jsonBody(decisionBody, firstIssue("expected {decision: accept|edit|reject, text?}")), (c) => {
    const out = learn.decide(c.req.param("id"), c.req.valid("json"));
    if (out === "not_found")
      return c.json(apiError("not_found", "no such approval"), 404);
    if (out === "decided")
      return c.json(apiError("conflict", "this turn was already decided"), 409);
    return c.json(approvalView(out));
  });
  app.get("/api/mode", (c) => c.json(learn.modes()));
  app.post("/api/mode", jsonBody(modeBody, firstIssue("expected {mode: capture|learn, project?, session?}")), (c) => {
    const { mode, project, session } = c.req.valid("json");
    if (session !== void 0) {
      if (session.length > MAX_SESSION_ID)
        return c.json(badRequest3(`a session id is at most ${MAX_SESSION_ID} characters`), 400);
      if (!learn.sessionExists(session))
        return c.json(apiError("not_found", `no session ${session}`), 404);
      learn.setMode("session", session, mode);
    } else if (project !== void 0) {
      const resolved = learn.resolveProject(project);
      if ("error" in resolved)
        return c.json(apiError("not_found", resolved.error), 404);
      learn.setMode("project", resolved.id, mode);
    } else
      learn.setMode("global", null, mode);
    return c.json(learn.modes());
  });
}

// dist/api/app.js
function createApp(deps) {
  const app = new Hono();
  app.use("*", securityHeaders());
  app.use("*", async (c, next) => {
    if (!hostAllowed(c.req.header("host"), deps.boundHost)) {
      return c.json(apiError("forbidden_host", "kx: Host header not allowed"), 403);
    }
    return next();
  });
  app.use("*", sameOriginOnly());
  app.get("/api/health", (c) => c.json({ ok: true, version: deps.version, ...deps.health() }));
  app.get("/", (c) => c.redirect(`/ui/${new URL(c.req.url).search}`));
  app.get("/ui", (c) => c.redirect("/ui/"));
  app.get("/ui/", (c) => {
    const q = c.req.query("token");
    if (q !== void 0) {
      if (!tokenMatches(q, deps.token))
        return c.text("kx: wrong token", 401);
      setCookie(c, cookieName(c.req.header("host")), deps.token, { httpOnly: true, sameSite: "Strict", path: "/", secure: false });
      return c.redirect("/ui/");
    }
    if (!tokenMatches(getCookie(c, cookieName(c.req.header("host"))), deps.token)) {
      return c.text("kx: open the console URL kx printed at start (it carries the token)", 401);
    }
    return c.html(consolePage());
  });
  app.get("/ui/assets/:file", requireToken(deps.token), consoleAsset());
  app.use("/api/*", requireToken(deps.token));
  app.get("/api/events", eventsRoute(deps.live));
  registerConsoleRoutes(app, deps);
  if (deps.insight)
    registerInsightRoutes(app, deps.insight);
  app.get("/api/sessions/:id", (c) => {
    const s = deps.reader.getSession(c.req.param("id"));
    return s ? c.json(s) : c.json(apiError("not_found", "no such session"), 404);
  });
  if (deps.learn)
    registerLearnRoutes(app, deps.learn);
  app.notFound((c) => c.json(apiError("not_found", `kx: no route ${c.req.method} ${c.req.path}`), 404));
  app.onError((err2, c) => {
    if (err2 instanceof HTTPException && err2.status === 400)
      return c.json(apiError("invalid_request_error", `kx: ${err2.message}`), 400);
    return c.json(apiError("internal_error", `kx: ${err2.message}`), 500);
  });
  return app;
}

// dist/protocol/responses-events.js
var num = (v) => typeof v === "number" && Number.isFinite(v) ? v : 0;
var DELTA_EVENT = /^response\.[a-z_.]*\.delta$/;
var DELTA_PREFIX = /^\s*\{\s*"type"\s*:\s*"response\.[a-z_.]*\.delta"/;
function isDeltaEvent(eventName, data) {
  if (eventName !== void 0)
    return DELTA_EVENT.test(eventName);
  return DELTA_PREFIX.test(data.slice(0, 80));
}
function parseUsage(raw) {
  if (!isObject(raw))
    return void 0;
  const inDetails = isObject(raw.input_tokens_details) ? raw.input_tokens_details : isObject(raw.prompt_tokens_details) ? raw.prompt_tokens_details : {};
  const outDetails = isObject(raw.output_tokens_details) ? raw.output_tokens_details : isObject(raw.completion_tokens_details) ? raw.completion_tokens_details : {};
  const inputTokens = num(raw.input_tokens ?? raw.prompt_tokens);
  const outputTokens = num(raw.output_tokens ?? raw.completion_tokens);
  return {
    inputTokens,
    cachedTokens: num(inDetails.cached_tokens),
    outputTokens,
    reasoningTokens: num(outDetails.reasoning_tokens),
    totalTokens: num(raw.total_tokens) || inputTokens + outputTokens
  };
}
function parseErrorObject(raw, status) {
  const outer = isObject(raw) ? raw : {};
  const e = isObject(outer.error) ? outer.error : outer;
  const message = str(e.message) ?? (typeof raw === "string" ? raw : JSON.stringify(raw ?? null));
  const err2 = { message };
  const st = status ?? (typeof outer.status === "number" ? outer.status : typeof outer.status_code === "number" ? outer.status_code : void 0);
  if (st !== void 0)
    err2.status = st;
  const code = str(e.code);
  if (code)
    err2.code = code;
  const type = str(e.type);
  if (type && type !== "error")
    err2.type = type;
  return err2;
}
var ResponsesEventFolder = class {
  summary = { status: "in_progress", output: [], parseErrors: 0, unknownEvents: 0, events: 0 };
  doneItems = /* @__PURE__ */ new Map();
  sawDoneItems = false;
  /** Feed one event's raw data string. Returns the parsed event type, if any. */
  feedData(data, eventName) {
    this.summary.events++;
    if (isDeltaEvent(eventName, data))
      return eventName ?? "delta";
    let event;
    try {
      event = JSON.parse(data);
    } catch {
      this.summary.parseErrors++;
      return void 0;
    }
    return this.feedEvent(event);
  }
  feedEvent(event) {
    if (!isObject(event) || typeof event.type !== "string") {
      this.summary.parseErrors++;
      return void 0;
    }
    const s = this.summary;
    switch (event.type) {
      case "response.created":
      case "response.in_progress":
        this.readResponse(event.response);
        break;
      case "response.output_item.done": {
        const index = typeof event.output_index === "number" ? event.output_index : this.doneItems.size;
        this.doneItems.set(index, parseResponsesItem(event.item));
        this.sawDoneItems = true;
        break;
      }
      case "response.completed":
        this.readResponse(event.response);
        s.status = "completed";
        break;
      case "response.incomplete":
        this.readResponse(event.response);
        s.status = "incomplete";
        break;
      case "response.failed": {
        this.readResponse(event.response);
        s.status = "failed";
        const r = isObject(event.response) ? event.response : {};
        s.error = parseErrorObject(r.error ?? { message: "response.failed" });
        break;
      }
      case "error":
        s.status = "error";
        s.error = parseErrorObject(event);
        break;
      default:
        if (!event.type.startsWith("response."))
          s.unknownEvents++;
    }
    return event.type;
  }
  readResponse(raw) {
    if (!isObject(raw))
      return;
    const s = this.summary;
    const id = str(raw.id);
    if (id)
      s.responseId = id;
    const model = str(raw.model);
    if (model)
      s.model = model;
    const usage = parseUsage(raw.usage);
    if (usage)
      s.usage = usage;
    if (!this.sawDoneItems && Array.isArray(raw.output) && raw.output.length > 0) {
      raw.output.forEach((item, i) => this.doneItems.set(i, parseResponsesItem(item)));
    }
  }
  /** Marks a stream that ended without a terminal event. */
  markCut(reason) {
    if (this.summary.status === "in_progress") {
      this.summary.status = "cut";
      this.summary.error ??= { message: reason };
    }
  }
  get terminal() {
    return this.summary.status !== "in_progress";
  }
  result() {
    const output = [...this.doneItems.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
    return { ...this.summary, output };
  }
};

// dist/protocol/responses-request.js
var ResponsesBody = external_exports.object({
  model: external_exports.string().optional(),
  stream: external_exports.boolean().optional(),
  generate: external_exports.boolean().optional(),
  input: external_exports.union([external_exports.string(), external_exports.array(external_exports.unknown())]).optional(),
  instructions: external_exports.string().optional()
}).passthrough();
var ProtocolError = class extends Error {
};
function parseResponsesInput(input) {
  if (typeof input === "string")
    return [{ kind: "human_message", itemType: "message", role: "user", text: input }];
  if (!Array.isArray(input))
    return [];
  return input.map(parseResponsesItem);
}
function parseResponsesRequest(body) {
  const parsed = ResponsesBody.safeParse(body);
  if (!parsed.success)
    throw new ProtocolError(`not a Responses request body: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const b = parsed.data;
  const input = [];
  if (b.instructions)
    input.push({ kind: "instructions", itemType: "instructions", role: "system", text: b.instructions });
  input.push(...parseResponsesInput(b.input));
  return {
    api: "responses",
    ...b.model ? { model: b.model } : {},
    stream: b.stream ?? false,
    generate: b.generate ?? true,
    input,
    meta: bodyMeta(b)
  };
}

// dist/protocol/chat-completions.js
var ChatBody = external_exports.object({
  model: external_exports.string().optional(),
  stream: external_exports.boolean().optional(),
  messages: external_exports.array(external_exports.unknown()),
  user: external_exports.string().optional()
}).passthrough();
function toolCallItems(toolCalls) {
  if (!Array.isArray(toolCalls))
    return [];
  return toolCalls.filter(isObject).map((tc) => {
    const fn = isObject(tc.function) ? tc.function : isObject(tc.custom) ? tc.custom : {};
    const callId = str(tc.id);
    return {
      kind: "tool_call",
      itemType: str(tc.type) === "custom" ? "custom_tool_call" : "function_call",
      ...callId ? { callId } : {},
      toolName: str(fn.name) ?? "unknown",
      arguments: str(fn.arguments) ?? str(fn.input) ?? ""
    };
  });
}
function parseChatMessage(raw, isContext) {
  if (!isObject(raw))
    return [{ kind: "other", itemType: "chat_message" }];
  const role = str(raw.role) ?? "user";
  const content = raw.content;
  if (role === "user") {
    const parts = typeof content === "string" ? [{ text: content, isImage: false }] : Array.isArray(content) ? content.map((p) => ({ text: isObject(p) ? str(p.text) : str(p), isImage: isObject(p) && String(p.type ?? "").includes("image") })) : [];
    const { human, injected, images } = splitUserMessage(parts, isContext);
    if (human.length || images) {
      const said = { kind: "human_message", itemType: "chat_message", role, text: human.join("\n"), ...images ? { detail: { images } } : {} };
      if (isContext && injected.length)
        return [{ kind: "injected_context", itemType: "chat_message", role, text: injected.join("\n") }, said];
      return [said];
    }
    return [{ kind: "injected_context", itemType: "chat_message", role, text: injected.join("\n") }];
  }
  if (role === "assistant") {
    const items = [];
    const text = contentText(content);
    if (text)
      items.push({ kind: "assistant_message", itemType: "chat_message", role, text });
    items.push(...toolCallItems(raw.tool_calls));
    if (isObject(raw.function_call))
      items.push(...toolCallItems([{ type: "function", function: raw.function_call }]));
    return items;
  }
  if (role === "tool" || role === "function") {
    const callId = str(raw.tool_call_id) ?? str(raw.name);
    return [{ kind: "tool_output", itemType: "tool_message", ...callId ? { callId } : {}, output: contentText(content) }];
  }
  return [{ kind: "instructions", itemType: "chat_message", role, text: contentText(content) }];
}
function parseChatRequest(body, isContext) {
  const parsed = ChatBody.safeParse(body);
  if (!parsed.success)
    throw new ProtocolError(`not a Chat Completions body: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return {
    api: "chat",
    ...parsed.data.model ? { model: parsed.data.model } : {},
    stream: parsed.data.stream ?? false,
    generate: true,
    input: parsed.data.messages.flatMap((m) => parseChatMessage(m, isContext)),
    meta: {}
  };
}
var ChatCompletionFolder = class {
  text = "";
  toolCalls = /* @__PURE__ */ new Map();
  summary = { status: "in_progress", output: [], parseErrors: 0, unknownEvents: 0, events: 0 };
  feedData(data) {
    this.summary.events++;
    if (data.trim() === "[DONE]") {
      if (this.summary.status === "in_progress")
        this.summary.status = "completed";
      return;
    }
    try {
      this.feedChunk(JSON.parse(data));
    } catch {
      this.summary.parseErrors++;
    }
  }
  feedChunk(chunk) {
    if (!isObject(chunk)) {
      this.summary.parseErrors++;
      return;
    }
    this.readEnvelope(chunk);
    if (isObject(chunk.error)) {
      this.summary.status = "error";
      this.summary.error = parseErrorObject(chunk);
    }
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      if (!isObject(choice) || typeof choice.index === "number" && choice.index !== 0)
        continue;
      const delta = isObject(choice.delta) ? choice.delta : {};
      if (typeof delta.content === "string")
        this.text += delta.content;
      for (const tc of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
        if (!isObject(tc))
          continue;
        const index = typeof tc.index === "number" ? tc.index : this.toolCalls.size;
        const fn = isObject(tc.function) ? tc.function : isObject(tc.custom) ? tc.custom : {};
        const draft = this.toolCalls.get(index) ?? { name: "", args: "", custom: tc.type === "custom" };
        if (str(tc.id))
          draft.callId = str(tc.id);
        if (str(fn.name))
          draft.name += str(fn.name);
        draft.args += str(fn.arguments) ?? str(fn.input) ?? "";
        this.toolCalls.set(index, draft);
      }
    }
  }
  /** A whole non-streaming `chat.completion` body. */
  feedBody(body) {
    if (!isObject(body)) {
      this.summary.parseErrors++;
      return;
    }
    this.readEnvelope(body);
    if (isObject(body.error)) {
      this.summary.status = "error";
      this.summary.error = parseErrorObject(body);
      return;
    }
    const choice = Array.isArray(body.choices) ? body.choices[0] : void 0;
    if (isObject(choice) && isObject(choice.message)) {
      this.summary.output = parseChatMessage({ ...choice.message, role: "assistant" });
    }
    this.summary.status = "completed";
  }
  readEnvelope(chunk) {
    const id = str(chunk.id);
    if (id)
      this.summary.responseId = id;
    const model = str(chunk.model);
    if (model)
      this.summary.model = model;
    const usage = parseUsage(chunk.usage);
    if (usage)
      this.summary.usage = usage;
  }
  markCut(reason) {
    if (this.summary.status === "in_progress") {
      this.summary.status = "cut";
      this.summary.error ??= { message: reason };
    }
  }
  result() {
    if (this.summary.output.length > 0)
      return { ...this.summary };
    const output = [];
    if (this.text)
      output.push({ kind: "assistant_message", itemType: "chat_message", role: "assistant", text: this.text });
    for (const [, d] of [...this.toolCalls.entries()].sort((a, b) => a[0] - b[0])) {
      output.push({
        kind: "tool_call",
        itemType: d.custom ? "custom_tool_call" : "function_call",
        ...d.callId ? { callId: d.callId } : {},
        toolName: d.name || "unknown",
        arguments: d.args
      });
    }
    return { ...this.summary, output };
  }
};

// dist/capture/describe-request.js
function describeParsed(input, memory, sessionOfResponse) {
  const { transport, headers, parsed, chat } = input;
  const fromHeaders = headerMeta(headers);
  if (transport === "ws") {
    const { turnId: _t, requestKind: _k, ...upgrade } = fromHeaders;
    parsed.meta = mergeMeta(parsed.meta, upgrade);
  } else {
    if (chat?.sessionId && !fromHeaders.sessionId)
      fromHeaders.sessionId = chat.sessionId;
    parsed.meta = mergeMeta(fromHeaders, parsed.meta);
  }
  const userAgent = header(headers, "user-agent");
  const client = chat?.client ?? header(headers, "originator") ?? userAgent?.split(/[ /]/)[0];
  const session = identifySession({ transport, request: parsed, ...client ? { client } : {}, ...userAgent ? { userAgent } : {}, ...memory.session ? { knownSession: memory.session } : {} }, sessionOfResponse);
  const cwd = cwdOfInput(parsed.input) ?? memory.cwd;
  return { transport, parsed, ...client ? { client } : {}, ...userAgent ? { userAgent } : {}, session, ...cwd ? { cwd } : {}, ...chat ? { chat } : {} };
}
function remember(memory, d) {
  memory.session = d.session.id;
  if (d.cwd)
    memory.cwd = d.cwd;
}
function projectOf(d, recordedProject) {
  let recorded;
  if (!d.cwd) {
    try {
      recorded = recordedProject(d.session.id);
    } catch {
      recorded = void 0;
    }
  }
  return decideProject({ cwd: d.cwd, recorded, client: d.client ?? null });
}
function parseChat(headers, top, messages) {
  const byAgent = ruleFor(headers);
  const parsed = parseChatRequest({ ...top, messages }, (text) => isClientContext(byAgent, text));
  return { parsed, facts: chatClientFacts(headers, parsed, top), byAgent };
}
function parseWsFrame(data) {
  let body;
  try {
    body = JSON.parse(data);
  } catch {
    throw new Error("client WebSocket frame is not JSON");
  }
  const type = typeof body === "object" && body !== null ? body.type : void 0;
  if (type !== "response.create")
    throw new Error(`unknown client frame type: ${String(type)}`);
  return parseResponsesRequest(body);
}
function apiOfPath(path5, method) {
  if (method !== "POST")
    return void 0;
  const p = path5.split("?")[0] ?? "";
  if (/\/responses$/.test(p))
    return "responses";
  if (/\/chat\/completions$/.test(p))
    return "chat";
  return void 0;
}

// dist/capture/recorder.js
import { performance as performance3 } from "node:perf_hooks";

// dist/protocol/body-encoding.js
import zlib from "node:zlib";

// node_modules/fzstd/esm/index.mjs
var ab = ArrayBuffer;
var u8 = Uint8Array;
var u16 = Uint16Array;
var i16 = Int16Array;
var i32 = Int32Array;
var slc = function(v, s, e) {
  if (u8.prototype.slice)
    return u8.prototype.slice.call(v, s, e);
  if (s == null || s < 0)
    s = 0;
  if (e == null || e > v.length)
    e = v.length;
  var n = new u8(e - s);
  n.set(v.subarray(s, e));
  return n;
};
var fill = function(v, n, s, e) {
  if (u8.prototype.fill)
    return u8.prototype.fill.call(v, n, s, e);
  if (s == null || s < 0)
    s = 0;
  if (e == null || e > v.length)
    e = v.length;
  for (; s < e; ++s)
    v[s] = n;
  return v;
};
var cpw = function(v, t, s, e) {
  if (u8.prototype.copyWithin)
    return u8.prototype.copyWithin.call(v, t, s, e);
  if (s == null || s < 0)
    s = 0;
  if (e == null || e > v.length)
    e = v.length;
  while (s < e) {
    v[t++] = v[s++];
  }
};
var ec = [
  "invalid zstd data",
  "window size too large (>2046MB)",
  "invalid block type",
  "FSE accuracy too high",
  "match distance too far back",
  "unexpected EOF"
];
var err = function(ind, msg, nt) {
  var e = new Error(msg || ec[ind]);
  e.code = ind;
  if (Error.captureStackTrace)
    Error.captureStackTrace(e, err);
  if (!nt)
    throw e;
  return e;
};
var rb = function(d, b, n) {
  var i = 0, o = 0;
  for (; i < n; ++i)
    o |= d[b++] << (i << 3);
  return o;
};
var b4 = function(d, b) {
  return (d[b] | d[b + 1] << 8 | d[b + 2] << 16 | d[b + 3] << 24) >>> 0;
};
var rzfh = function(dat, w) {
  var n3 = dat[0] | dat[1] << 8 | dat[2] << 16;
  if (n3 == 3126568 && dat[3] == 253) {
    var flg = dat[4];
    var ss = flg >> 5 & 1, cc = flg >> 2 & 1, df = flg & 3, fcf = flg >> 6;
    if (flg & 8)
      err(0);
    var bt = 6 - ss;
    var db = df == 3 ? 4 : df;
    var di = rb(dat, bt, db);
    bt += db;
    var fsb = fcf ? 1 << fcf : ss;
    var fss = rb(dat, bt, fsb) + (fcf == 1 && 256);
    var ws = fss;
    if (!ss) {
      var wb = 1 << 10 + (dat[5] >> 3);
      ws = wb + (wb >> 3) * (dat[5] & 7);
    }
    if (ws > 2145386496)
      err(1);
    var buf = new u8((w == 1 ? fss || ws : w ? 0 : ws) + 12);
    buf[0] = 1, buf[4] = 4, buf[8] = 8;
    return {
      b: bt + fsb,
      y: 0,
      l: 0,
      d: di,
      w: w && w != 1 ? w : buf.subarray(12),
      e: ws,
      o: new i32(buf.buffer, 0, 3),
      u: fss,
      c: cc,
      m: Math.min(131072, ws)
    };
  } else if ((n3 >> 4 | dat[3] << 20) == 25481893) {
    return b4(dat, 4) + 8;
  }
  err(0);
};
var msb = function(val) {
  var bits = 0;
  for (; 1 << bits <= val; ++bits)
    ;
  return bits - 1;
};
var rfse = function(dat, bt, mal) {
  var tpos = (bt << 3) + 4;
  var al = (dat[bt] & 15) + 5;
  if (al > mal)
    err(3);
  var sz = 1 << al;
  var probs = sz, sym = -1, re = -1, i = -1, ht = sz;
  var buf = new ab(512 + (sz << 2));
  var freq = new i16(buf, 0, 256);
  var dstate = new u16(buf, 0, 256);
  var nstate = new u16(buf, 512, sz);
  var bb1 = 512 + (sz << 1);
  var syms = new u8(buf, bb1, sz);
  var nbits = new u8(buf, bb1 + sz);
  while (sym < 255 && probs > 0) {
    var bits = msb(probs + 1);
    var cbt = tpos >> 3;
    var msk = (1 << bits + 1) - 1;
    var val = (dat[cbt] | dat[cbt + 1] << 8 | dat[cbt + 2] << 16) >> (tpos & 7) & msk;
    var msk1fb = (1 << bits) - 1;
    var msv = msk - probs - 1;
    var sval = val & msk1fb;
    if (sval < msv)
      tpos += bits, val = sval;
    else {
      tpos += bits + 1;
      if (val > msk1fb)
        val -= msv;
    }
    freq[++sym] = --val;
    if (val == -1) {
      probs += val;
      syms[--ht] = sym;
    } else
      probs -= val;
    if (!val) {
      do {
        var rbt = tpos >> 3;
        re = (dat[rbt] | dat[rbt + 1] << 8) >> (tpos & 7) & 3;
        tpos += 2;
        sym += re;
      } while (re == 3);
    }
  }
  if (sym > 255 || probs)
    err(0);
  var sympos = 0;
  var sstep = (sz >> 1) + (sz >> 3) + 3;
  var smask = sz - 1;
  for (var s = 0; s <= sym; ++s) {
    var sf = freq[s];
    if (sf < 1) {
      dstate[s] = -sf;
      continue;
    }
    for (i = 0; i < sf; ++i) {
      syms[sympos] = s;
      do {
        sympos = sympos + sstep & smask;
      } while (sympos >= ht);
    }
  }
  if (sympos)
    err(0);
  for (i = 0; i < sz; ++i) {
    var ns = dstate[syms[i]]++;
    var nb = nbits[i] = al - msb(ns);
    nstate[i] = (ns << nb) - sz;
  }
  return [tpos + 7 >> 3, {
    b: al,
    s: syms,
    n: nbits,
    t: nstate
  }];
};
var rhu = function(dat, bt) {
  var i = 0, wc = -1;
  var buf = new u8(292), hb = dat[bt];
  var hw = buf.subarray(0, 256);
  var rc = buf.subarray(256, 268);
  var ri = new u16(buf.buffer, 268);
  if (hb < 128) {
    var _a = rfse(dat, bt + 1, 6), ebt = _a[0], fdt = _a[1];
    bt += hb;
    var epos = ebt << 3;
    var lb = dat[bt];
    if (!lb)
      err(0);
    var st1 = 0, st2 = 0, btr1 = fdt.b, btr2 = btr1;
    var fpos = (++bt << 3) - 8 + msb(lb);
    for (; ; ) {
      fpos -= btr1;
      if (fpos < epos)
        break;
      var cbt = fpos >> 3;
      st1 += (dat[cbt] | dat[cbt + 1] << 8) >> (fpos & 7) & (1 << btr1) - 1;
      hw[++wc] = fdt.s[st1];
      fpos -= btr2;
      if (fpos < epos)
        break;
      cbt = fpos >> 3;
      st2 += (dat[cbt] | dat[cbt + 1] << 8) >> (fpos & 7) & (1 << btr2) - 1;
      hw[++wc] = fdt.s[st2];
      btr1 = fdt.n[st1];
      st1 = fdt.t[st1];
      btr2 = fdt.n[st2];
      st2 = fdt.t[st2];
    }
    if (++wc > 255)
      err(0);
  } else {
    wc = hb - 127;
    for (; i < wc; i += 2) {
      var byte = dat[++bt];
      hw[i] = byte >> 4;
      hw[i + 1] = byte & 15;
    }
    ++bt;
  }
  var wes = 0;
  for (i = 0; i < wc; ++i) {
    var wt = hw[i];
    if (wt > 11)
      err(0);
    wes += wt && 1 << wt - 1;
  }
  var mb = msb(wes) + 1;
  var ts = 1 << mb;
  var rem = ts - wes;
  if (rem & rem - 1)
    err(0);
  hw[wc++] = msb(rem) + 1;
  for (i = 0; i < wc; ++i) {
    var wt = hw[i];
    ++rc[hw[i] = wt && mb + 1 - wt];
  }
  var hbuf = new u8(ts << 1);
  var syms = hbuf.subarray(0, ts), nb = hbuf.subarray(ts);
  ri[mb] = 0;
  for (i = mb; i > 0; --i) {
    var pv = ri[i];
    fill(nb, i, pv, ri[i - 1] = pv + rc[i] * (1 << mb - i));
  }
  if (ri[0] != ts)
    err(0);
  for (i = 0; i < wc; ++i) {
    var bits = hw[i];
    if (bits) {
      var code = ri[bits];
      fill(syms, i, code, ri[bits] = code + (1 << mb - bits));
    }
  }
  return [bt, {
    n: nb,
    b: mb,
    s: syms
  }];
};
var dllt = rfse(/* @__PURE__ */ new u8([
  81,
  16,
  99,
  140,
  49,
  198,
  24,
  99,
  12,
  33,
  196,
  24,
  99,
  102,
  102,
  134,
  70,
  146,
  4
]), 0, 6)[1];
var dmlt = rfse(/* @__PURE__ */ new u8([
  33,
  20,
  196,
  24,
  99,
  140,
  33,
  132,
  16,
  66,
  8,
  33,
  132,
  16,
  66,
  8,
  33,
  68,
  68,
  68,
  68,
  68,
  68,
  68,
  68,
  36,
  9
]), 0, 6)[1];
var doct = rfse(/* @__PURE__ */ new u8([
  32,
  132,
  16,
  66,
  102,
  70,
  68,
  68,
  68,
  68,
  36,
  73,
  2
]), 0, 5)[1];
var b2bl = function(b, s) {
  var len = b.length, bl = new i32(len);
  for (var i = 0; i < len; ++i) {
    bl[i] = s;
    s += 1 << b[i];
  }
  return bl;
};
var llb = /* @__PURE__ */ new u8((/* @__PURE__ */ new i32([
  0,
  0,
  0,
  0,
  16843009,
  50528770,
  134678020,
  202050057,
  269422093
])).buffer, 0, 36);
var llbl = /* @__PURE__ */ b2bl(llb, 0);
var mlb = /* @__PURE__ */ new u8((/* @__PURE__ */ new i32([
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  16843009,
  50528770,
  117769220,
  185207048,
  252579084,
  16
])).buffer, 0, 53);
var mlbl = /* @__PURE__ */ b2bl(mlb, 3);
var dhu = function(dat, out, hu) {
  var len = dat.length, ss = out.length, lb = dat[len - 1], msk = (1 << hu.b) - 1, eb = -hu.b;
  if (!lb)
    err(0);
  var st = 0, btr = hu.b, pos = (len << 3) - 8 + msb(lb) - btr, i = -1;
  for (; pos > eb && i < ss; ) {
    var cbt = pos >> 3;
    var val = (dat[cbt] | dat[cbt + 1] << 8 | dat[cbt + 2] << 16) >> (pos & 7);
    st = (st << btr | val) & msk;
    out[++i] = hu.s[st];
    pos -= btr = hu.n[st];
  }
  if (pos != eb || i + 1 != ss)
    err(0);
};
var dhu4 = function(dat, out, hu) {
  var bt = 6;
  var ss = out.length, sz1 = ss + 3 >> 2, sz2 = sz1 << 1, sz3 = sz1 + sz2;
  dhu(dat.subarray(bt, bt += dat[0] | dat[1] << 8), out.subarray(0, sz1), hu);
  dhu(dat.subarray(bt, bt += dat[2] | dat[3] << 8), out.subarray(sz1, sz2), hu);
  dhu(dat.subarray(bt, bt += dat[4] | dat[5] << 8), out.subarray(sz2, sz3), hu);
  dhu(dat.subarray(bt), out.subarray(sz3), hu);
};
var rzb = function(dat, st, out) {
  var _a;
  var bt = st.b;
  var b0 = dat[bt], btype = b0 >> 1 & 3;
  st.l = b0 & 1;
  var sz = b0 >> 3 | dat[bt + 1] << 5 | dat[bt + 2] << 13;
  var ebt = (bt += 3) + sz;
  if (btype == 1) {
    if (bt >= dat.length)
      return;
    st.b = bt + 1;
    if (out) {
      fill(out, dat[bt], st.y, st.y += sz);
      return out;
    }
    return fill(new u8(sz), dat[bt]);
  }
  if (ebt > dat.length)
    return;
  if (btype == 0) {
    st.b = ebt;
    if (out) {
      out.set(dat.subarray(bt, ebt), st.y);
      st.y += sz;
      return out;
    }
    return slc(dat, bt, ebt);
  }
  if (btype == 2) {
    var b3 = dat[bt], lbt = b3 & 3, sf = b3 >> 2 & 3;
    var lss = b3 >> 4, lcs = 0, s4 = 0;
    if (lbt < 2) {
      if (sf & 1)
        lss |= dat[++bt] << 4 | (sf & 2 && dat[++bt] << 12);
      else
        lss = b3 >> 3;
    } else {
      s4 = sf;
      if (sf < 2)
        lss |= (dat[++bt] & 63) << 4, lcs = dat[bt] >> 6 | dat[++bt] << 2;
      else if (sf == 2)
        lss |= dat[++bt] << 4 | (dat[++bt] & 3) << 12, lcs = dat[bt] >> 2 | dat[++bt] << 6;
      else
        lss |= dat[++bt] << 4 | (dat[++bt] & 63) << 12, lcs = dat[bt] >> 6 | dat[++bt] << 2 | dat[++bt] << 10;
    }
    ++bt;
    var buf = out ? out.subarray(st.y, st.y + st.m) : new u8(st.m);
    var spl = buf.length - lss;
    if (lbt == 0)
      buf.set(dat.subarray(bt, bt += lss), spl);
    else if (lbt == 1)
      fill(buf, dat[bt++], spl);
    else {
      var hu = st.h;
      if (lbt == 2) {
        var hud = rhu(dat, bt);
        lcs += bt - (bt = hud[0]);
        st.h = hu = hud[1];
      } else if (!hu)
        err(0);
      (s4 ? dhu4 : dhu)(dat.subarray(bt, bt += lcs), buf.subarray(spl), hu);
    }
    var ns = dat[bt++];
    if (ns) {
      if (ns == 255)
        ns = (dat[bt++] | dat[bt++] << 8) + 32512;
      else if (ns > 127)
        ns = ns - 128 << 8 | dat[bt++];
      var scm = dat[bt++];
      if (scm & 3)
        err(0);
      var dts = [dmlt, doct, dllt];
      for (var i = 2; i > -1; --i) {
        var md = scm >> (i << 1) + 2 & 3;
        if (md == 1) {
          var rbuf = new u8([0, 0, dat[bt++]]);
          dts[i] = {
            s: rbuf.subarray(2, 3),
            n: rbuf.subarray(0, 1),
            t: new u16(rbuf.buffer, 0, 1),
            b: 0
          };
        } else if (md == 2) {
          _a = rfse(dat, bt, 9 - (i & 1)), bt = _a[0], dts[i] = _a[1];
        } else if (md == 3) {
          if (!st.t)
            err(0);
          dts[i] = st.t[i];
        }
      }
      var _b = st.t = dts, mlt = _b[0], oct = _b[1], llt = _b[2];
      var lb = dat[ebt - 1];
      if (!lb)
        err(0);
      var spos = (ebt << 3) - 8 + msb(lb) - llt.b, cbt = spos >> 3, oubt = 0;
      var lst = (dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << llt.b) - 1;
      cbt = (spos -= oct.b) >> 3;
      var ost = (dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << oct.b) - 1;
      cbt = (spos -= mlt.b) >> 3;
      var mst = (dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << mlt.b) - 1;
      for (++ns; --ns; ) {
        var llc = llt.s[lst];
        var lbtr = llt.n[lst];
        var mlc = mlt.s[mst];
        var mbtr = mlt.n[mst];
        var ofc = oct.s[ost];
        var obtr = oct.n[ost];
        cbt = (spos -= ofc) >> 3;
        var ofp = 1 << ofc;
        var off = ofp + ((dat[cbt] | dat[cbt + 1] << 8 | dat[cbt + 2] << 16 | dat[cbt + 3] << 24) >>> (spos & 7) & ofp - 1);
        cbt = (spos -= mlb[mlc]) >> 3;
        var ml = mlbl[mlc] + ((dat[cbt] | dat[cbt + 1] << 8 | dat[cbt + 2] << 16) >> (spos & 7) & (1 << mlb[mlc]) - 1);
        cbt = (spos -= llb[llc]) >> 3;
        var ll = llbl[llc] + ((dat[cbt] | dat[cbt + 1] << 8 | dat[cbt + 2] << 16) >> (spos & 7) & (1 << llb[llc]) - 1);
        cbt = (spos -= lbtr) >> 3;
        lst = llt.t[lst] + ((dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << lbtr) - 1);
        cbt = (spos -= mbtr) >> 3;
        mst = mlt.t[mst] + ((dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << mbtr) - 1);
        cbt = (spos -= obtr) >> 3;
        ost = oct.t[ost] + ((dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << obtr) - 1);
        if (off > 3) {
          st.o[2] = st.o[1];
          st.o[1] = st.o[0];
          st.o[0] = off -= 3;
        } else {
          var idx = off - (ll != 0);
          if (idx) {
            off = idx == 3 ? st.o[0] - 1 : st.o[idx];
            if (idx > 1)
              st.o[2] = st.o[1];
            st.o[1] = st.o[0];
            st.o[0] = off;
          } else
            off = st.o[0];
        }
        for (var i = 0; i < ll; ++i) {
          buf[oubt + i] = buf[spl + i];
        }
        oubt += ll, spl += ll;
        var stin = oubt - off;
        if (stin < 0) {
          var len = -stin;
          var bs = st.e + stin;
          if (len > ml)
            len = ml;
          for (var i = 0; i < len; ++i) {
            buf[oubt + i] = st.w[bs + i];
          }
          oubt += len, ml -= len, stin = 0;
        }
        for (var i = 0; i < ml; ++i) {
          buf[oubt + i] = buf[stin + i];
        }
        oubt += ml;
      }
      if (oubt != spl) {
        while (spl < buf.length) {
          buf[oubt++] = buf[spl++];
        }
      } else
        oubt = buf.length;
      if (out)
        st.y += oubt;
      else
        buf = slc(buf, 0, oubt);
    } else if (out) {
      st.y += lss;
      if (spl) {
        for (var i = 0; i < lss; ++i) {
          buf[i] = buf[spl + i];
        }
      }
    } else if (spl)
      buf = slc(buf, spl);
    st.b = ebt;
    return buf;
  }
  err(2);
};
var cct = function(bufs, ol) {
  if (bufs.length == 1)
    return bufs[0];
  var buf = new u8(ol);
  for (var i = 0, b = 0; i < bufs.length; ++i) {
    var chk = bufs[i];
    buf.set(chk, b);
    b += chk.length;
  }
  return buf;
};
function decompress(dat, buf) {
  var bufs = [], nb = +!buf;
  var bt = 0, ol = 0;
  for (; dat.length; ) {
    var st = rzfh(dat, nb || buf);
    if (typeof st == "object") {
      if (nb) {
        buf = null;
        if (st.w.length == st.u) {
          bufs.push(buf = st.w);
          ol += st.u;
        }
      } else {
        bufs.push(buf);
        st.e = 0;
      }
      for (; !st.l; ) {
        var blk = rzb(dat, st, buf);
        if (!blk)
          err(5);
        if (buf)
          st.e = st.y;
        else {
          bufs.push(blk);
          ol += blk.length;
          cpw(st.w, 0, blk.length);
          st.w.set(blk, st.w.length - blk.length);
        }
      }
      bt = st.b + st.c * 4;
    } else
      bt = st;
    dat = dat.subarray(bt);
  }
  return cct(bufs, ol);
}

// dist/protocol/body-encoding.js
function encodingsOf(contentEncoding) {
  return (contentEncoding ?? "").split(",").map((e) => e.trim().toLowerCase()).filter((e) => e && e !== "identity");
}
function decodeChunks(chunks, contentEncoding) {
  if (encodingsOf(contentEncoding).length === 0)
    return chunks;
  return [decodeBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), contentEncoding)];
}
function decodeBody(body, contentEncoding) {
  const encodings = encodingsOf(contentEncoding);
  let out = body;
  for (const enc of encodings.reverse()) {
    switch (enc) {
      case "zstd":
        out = Buffer.from(decompress(out));
        break;
      case "gzip":
      case "x-gzip":
        out = zlib.gunzipSync(out);
        break;
      case "deflate":
        out = zlib.inflateSync(out);
        break;
      case "br":
        out = zlib.brotliDecompressSync(out);
        break;
      default:
        throw new Error(`unsupported content-encoding: ${enc}`);
    }
  }
  return out;
}

// dist/protocol/input-delta.js
var prefixOf = (body, end) => body.length > 64 * 1024 ? body.subarray(0, end) : Buffer.from(body.subarray(0, end));
function ownCopy(b) {
  const out = Buffer.allocUnsafeSlow(b.length);
  b.copy(out);
  return out;
}
var MAX_SEGMENTS = 64;
var totalLength = (chunks) => chunks.reduce((n, c) => n + c.length, 0);
function startsWith(chunks, segments) {
  let ci = 0;
  let co = 0;
  for (const seg of segments) {
    let so = 0;
    while (so < seg.length) {
      const c = chunks[ci];
      if (!c)
        return false;
      const n = Math.min(c.length - co, seg.length - so);
      if (c.compare(seg, so, so + n, co, co + n) !== 0)
        return false;
      so += n;
      co += n;
      if (co === c.length) {
        ci++;
        co = 0;
      }
    }
  }
  return true;
}
function bytesFrom(chunks, from) {
  const parts = [];
  let offset = 0;
  for (const c of chunks) {
    const end = offset + c.length;
    if (end > from)
      parts.push(offset >= from ? c : c.subarray(from - offset));
    offset = end;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}
var QUOTE = 34;
var BACKSLASH = 92;
var OPEN_BRACE = 123;
var CLOSE_BRACE = 125;
var OPEN_BRACKET = 91;
var CLOSE_BRACKET = 93;
var COMMA = 44;
var COLON = 58;
function skipWs(b, i) {
  while (i < b.length) {
    const c = b[i];
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9)
      break;
    i++;
  }
  return i;
}
function skipString(b, i) {
  i++;
  while (i < b.length) {
    const c = b[i];
    if (c === BACKSLASH)
      i += 2;
    else if (c === QUOTE)
      return i + 1;
    else
      i++;
  }
  throw new SyntaxError("unterminated string");
}
function skipValue(b, i) {
  const c = b[i];
  if (c === QUOTE)
    return skipString(b, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    while (i < b.length) {
      const d = b[i];
      if (d === QUOTE) {
        i = skipString(b, i);
        continue;
      }
      if (d === OPEN_BRACE || d === OPEN_BRACKET)
        depth++;
      else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
        depth--;
        if (depth === 0)
          return i + 1;
      }
      i++;
    }
    throw new SyntaxError("unterminated container");
  }
  while (i < b.length) {
    const d = b[i];
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d === 32 || d === 10 || d === 13 || d === 9)
      return i;
    i++;
  }
  return i;
}
function findArray(b, name) {
  let i = skipWs(b, 0);
  if (b[i] !== OPEN_BRACE)
    return void 0;
  i = skipWs(b, i + 1);
  while (i < b.length && b[i] !== CLOSE_BRACE) {
    if (b[i] !== QUOTE)
      return void 0;
    const keyEnd = skipString(b, i);
    const key = b.toString("utf8", i + 1, keyEnd - 1);
    i = skipWs(b, keyEnd);
    if (b[i] !== COLON)
      return void 0;
    i = skipWs(b, i + 1);
    const valueEnd2 = skipValue(b, i);
    if (key === name && b[i] === OPEN_BRACKET)
      return { start: i, end: valueEnd2 };
    i = skipWs(b, valueEnd2);
    if (b[i] === COMMA)
      i = skipWs(b, i + 1);
  }
  return void 0;
}
function scanElements(b, from) {
  const items = [];
  let i = skipWs(b, from);
  if (b[i] === COMMA)
    i = skipWs(b, i + 1);
  while (i < b.length && b[i] !== CLOSE_BRACKET) {
    const end = skipValue(b, i);
    items.push([i, end]);
    i = skipWs(b, end);
    if (b[i] === COMMA)
      i = skipWs(b, i + 1);
    else if (b[i] !== CLOSE_BRACKET)
      throw new SyntaxError("malformed input array");
  }
  if (b[i] !== CLOSE_BRACKET)
    throw new SyntaxError("unterminated input array");
  return { items, close: i };
}
function parseTop(head, after) {
  const top = JSON.parse(head + "[]" + after);
  if (typeof top !== "object" || top === null || Array.isArray(top))
    throw new SyntaxError("body is not a JSON object");
  return top;
}
function fullParse(body, name) {
  const value = JSON.parse(body.toString("utf8"));
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new SyntaxError("body is not a JSON object");
  const top = value;
  const input = top[name];
  if (!Array.isArray(input))
    return { top, newItems: [], skipped: 0, cursor: void 0, fromCursor: false };
  let cursor;
  try {
    const range = findArray(body, name);
    if (range) {
      const { items } = scanElements(body, range.start + 1);
      const last = items[items.length - 1];
      const prefixEnd = last ? last[1] : range.start + 1;
      cursor = { prefix: [prefixOf(body, prefixEnd)], prefixLength: prefixEnd, head: body.toString("utf8", 0, range.start), arrayStart: range.start, itemCount: items.length };
    }
  } catch {
    cursor = void 0;
  }
  return { top: { ...top, [name]: [] }, newItems: input, skipped: 0, cursor, fromCursor: false };
}
function splitRequestChunks(chunks, cursor, arrayName = "input") {
  if (cursor && totalLength(chunks) > cursor.prefixLength && startsWith(chunks, cursor.prefix)) {
    const tail = bytesFrom(chunks, cursor.prefixLength);
    try {
      const { items, close } = scanElements(tail, 0);
      if (cursor.itemCount === 0 || tail[skipWs(tail, 0)] === COMMA || items.length === 0) {
        const newItems = items.map(([s, e]) => JSON.parse(tail.toString("utf8", s, e)));
        const top = parseTop(cursor.head, tail.toString("utf8", close + 1));
        const added = items.length ? items[items.length - 1][1] : 0;
        let prefix = added ? [...cursor.prefix, ownCopy(tail.subarray(0, added))] : cursor.prefix;
        if (prefix.length > MAX_SEGMENTS)
          prefix = [Buffer.concat(prefix)];
        return {
          top,
          newItems,
          skipped: cursor.itemCount,
          cursor: { ...cursor, prefix, prefixLength: cursor.prefixLength + added, itemCount: cursor.itemCount + items.length },
          fromCursor: true
        };
      }
    } catch {
    }
  }
  return fullParse(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), arrayName);
}

// dist/protocol/sse-decoder.js
import { StringDecoder } from "node:string_decoder";
function createSseDecoder(onEvent) {
  const decoder = new StringDecoder("utf8");
  let first2 = true;
  const text = (s) => {
    if (!first2 || s.length === 0)
      return s;
    first2 = false;
    return s.charCodeAt(0) === 65279 ? s.slice(1) : s;
  };
  const parser = createParser({ onEvent: (e) => onEvent(e.data, e.event) });
  return {
    feed(chunk) {
      parser.feed(text(decoder.write(chunk)));
    },
    end() {
      parser.feed(text(decoder.end()));
      parser.reset({ consume: true });
    }
  };
}

// dist/proxy/answer-gate.js
import { performance as performance2 } from "node:perf_hooks";
var AnswerGate = class {
  maxDeferMs;
  pending = 0;
  waiters = [];
  timer;
  released = false;
  constructor(maxDeferMs = 20) {
    this.maxDeferMs = maxDeferMs;
  }
  get waiting() {
    return this.pending;
  }
  /** A request went upstream; call the returned function when its answer starts (or never will). */
  awaitAnswer() {
    this.pending++;
    let done = false;
    return () => {
      if (done)
        return;
      done = true;
      this.pending--;
      if (this.pending === 0 && this.waiters.length)
        this.releaseSoon();
    };
  }
  whenQuiet(fn) {
    if (this.pending === 0 && !this.waiters.length) {
      setImmediate(fn);
      return;
    }
    this.waiters.push({ fn, deadline: performance2.now() + this.maxDeferMs });
    if (this.pending === 0)
      this.releaseSoon();
    else
      this.armTimer();
  }
  // After the current I/O callback, so the byte that released the gate is written first.
  releaseSoon() {
    if (this.released)
      return;
    this.released = true;
    setImmediate(() => {
      this.released = false;
      this.run(this.pending === 0 ? Infinity : performance2.now());
    });
  }
  armTimer() {
    if (this.timer)
      return;
    const first2 = this.waiters[0].deadline;
    this.timer = setTimeout(() => {
      this.timer = void 0;
      this.run(performance2.now());
    }, Math.max(0, first2 - performance2.now()));
    this.timer.unref?.();
  }
  /** Runs every waiter whose deadline is at or before `now` (all of them when quiet). */
  run(now) {
    const due = this.waiters.filter((w) => w.deadline <= now);
    this.waiters = this.waiters.filter((w) => w.deadline > now);
    for (const w of due)
      w.fn();
    if (this.waiters.length) {
      if (this.pending === 0)
        this.releaseSoon();
      else
        this.armTimer();
    }
  }
};
var immediately = { whenQuiet: (fn) => void setImmediate(fn) };

// dist/capture/work-queue.js
var SLICE_MS = 4;
var WorkQueue = class {
  onError;
  scheduler;
  jobs = [];
  head = 0;
  scheduled = false;
  waiters = [];
  constructor(onError, scheduler = immediately) {
    this.onError = onError;
    this.scheduler = scheduler;
  }
  get size() {
    return this.jobs.length - this.head;
  }
  push(job) {
    this.jobs.push(job);
    if (!this.scheduled) {
      this.scheduled = true;
      this.scheduler.whenQuiet(this.run);
    }
  }
  drained() {
    if (this.size === 0)
      return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  run = () => {
    const deadline = performance.now() + SLICE_MS;
    while (this.head < this.jobs.length) {
      const job = this.jobs[this.head];
      this.jobs[this.head] = void 0;
      this.head++;
      try {
        job();
      } catch (err2) {
        this.onError(err2);
      }
      if (performance.now() > deadline)
        break;
    }
    if (this.head >= this.jobs.length) {
      this.jobs = [];
      this.head = 0;
      this.scheduled = false;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters)
        w();
    } else {
      if (this.head > 4096) {
        this.jobs = this.jobs.slice(this.head);
        this.head = 0;
      }
      this.scheduler.whenQuiet(this.run);
    }
  };
};

// dist/capture/recorder.js
var MAX_CURSORS = 2e3;
var Recorder = class {
  tracker;
  work;
  cursors = new j({ max: MAX_CURSORS });
  log;
  constructor(sink, opts = {}) {
    this.tracker = new SessionTracker(sink);
    this.log = opts.log ?? (() => {
    });
    this.work = new WorkQueue((err2) => this.fail("queue", err2), opts.scheduler);
  }
  /** Resolves once everything handed to capture so far has been turned into store ops. */
  drained() {
    return this.work.drained();
  }
  get backlog() {
    return this.work.size;
  }
  fail(stage, err2, ctx) {
    const message = err2 instanceof Error ? err2.message : String(err2);
    this.log({ level: "warn", msg: "capture error", stage, error: message, ...ctx?.requestId ? { request: ctx.requestId } : {} });
    try {
      this.tracker.captureError(stage, message, ctx);
    } catch {
    }
  }
  http(info) {
    const api = apiOfPath(info.path, info.method);
    if (!api)
      return void 0;
    return new HttpCapture(this, info, api);
  }
  ws(info) {
    return new WsCapture(this, info);
  }
  /** Parses an HTTP body, reusing the remembered prefix of the same conversation. */
  parseHttpBody(api, info, raw, contentEncoding) {
    const body = decodeChunks(Buffer.isBuffer(raw) ? [raw] : raw, contentEncoding);
    const clientSession = clientSessionId(ruleFor(info.headers), info.headers);
    const cursorKey = `${api}|${headerMeta(info.headers).sessionId ?? clientSession ?? header(info.headers, "user-agent") ?? ""}`;
    const entry = this.cursors.get(cursorKey);
    const split = splitRequestChunks(body, entry?.cursor, api === "chat" ? "messages" : "input");
    let input;
    let facts = {};
    if (api === "chat") {
      const chat = parseChat(info.headers, split.top, split.newItems);
      facts = split.fromCursor && entry ? entry.facts : chat.facts;
      input = { transport: "http", headers: info.headers, parsed: chat.parsed, chat: facts };
    } else {
      const request = parseResponsesRequest(split.top);
      request.input.push(...parseResponsesInput(split.newItems));
      input = { transport: "http", headers: info.headers, parsed: request };
    }
    const commit = (ctx) => {
      if (facts.background)
        return;
      this.cursors.delete(cursorKey);
      if (!split.cursor)
        return;
      this.cursors.set(cursorKey, { cursor: split.cursor, counts: ctx.counts.clone(), sessionId: ctx.sessionId, facts });
    };
    const resumed = split.fromCursor && entry;
    return { input, skipped: split.skipped, ...resumed ? { prefixCounts: entry.counts } : {}, memory: resumed ? { session: entry.sessionId } : {}, commit };
  }
  /** What a parsed request means (describe-request.ts), by the session chain capture knows. */
  describe(input, memory) {
    return describeParsed(input, memory, (id) => this.tracker.sessionOfResponse(id));
  }
  defer(fn, ctx, stage = "capture") {
    this.work.push(() => {
      try {
        fn();
      } catch (err2) {
        this.fail(stage, err2, ctx?.());
      }
    });
  }
};
var HttpCapture = class {
  rec;
  info;
  api;
  ctx;
  failed = false;
  statusCode;
  firstByteMs;
  isSse = false;
  errorBody = [];
  folder;
  sse;
  constructor(rec, info, api) {
    this.rec = rec;
    this.info = info;
    this.api = api;
    this.folder = api === "chat" ? new ChatCompletionFolder() : new ResponsesEventFolder();
    this.sse = createSseDecoder((data, event) => this.folder.feedData(data, event));
  }
  guard(stage, fn) {
    this.rec.defer(() => {
      if (!this.failed)
        fn();
    }, () => this.ctx, stage);
  }
  requestBody(body, contentEncoding, rewrite) {
    this.rec.defer(() => {
      try {
        const parsed = this.rec.parseHttpBody(this.api, this.info, body, contentEncoding);
        if (rewrite)
          linkOriginal(parsed.input.parsed, rewrite);
        const described = this.rec.describe(parsed.input, parsed.memory);
        this.ctx = this.rec.tracker.beginRequest({
          ...beginFields(described),
          method: this.info.method,
          path: this.info.path,
          ...this.info.upstream ? { upstream: this.info.upstream } : {},
          startedAtIso: this.info.startedAtIso,
          skippedItems: parsed.skipped,
          ...parsed.prefixCounts ? { prefixCounts: parsed.prefixCounts } : {}
        });
        parsed.commit(this.ctx);
      } catch (err2) {
        this.failed = true;
        throw err2;
      }
    }, () => this.ctx, "request");
  }
  responseStart(status, headers) {
    const at = performance3.now();
    this.guard("response", () => {
      this.statusCode = status;
      this.firstByteMs = at - this.info.startedAt;
      this.isSse = (header(headers, "content-type") ?? "").includes("text/event-stream");
    });
  }
  responseChunk(chunk) {
    this.guard("response", () => {
      if (this.isSse)
        this.sse.feed(chunk);
      else if (this.errorBody.length < 1024)
        this.errorBody.push(chunk);
    });
  }
  responseEnd(end) {
    const at = performance3.now();
    const endedAtIso = (/* @__PURE__ */ new Date()).toISOString();
    this.guard("response", () => {
      if (!this.ctx)
        return;
      let summary;
      if (this.isSse) {
        this.sse.end();
        if (end.kind !== "complete")
          this.folder.markCut(end.message);
        else
          this.folder.markCut("stream ended before a terminal event");
        summary = this.folder.result();
      } else {
        summary = bodySummary(this.folder, Buffer.concat(this.errorBody), this.statusCode);
      }
      const outcome = end.kind === "aborted" ? "aborted" : summary.status === "in_progress" ? "cut" : void 0;
      this.rec.tracker.finishRequest(this.ctx, summary, {
        ...this.statusCode !== void 0 ? { statusCode: this.statusCode } : {},
        ...this.firstByteMs !== void 0 ? { firstByteMs: this.firstByteMs } : {},
        durationMs: at - this.info.startedAt,
        endedAtIso,
        ...outcome ? { outcome } : {}
      });
    });
  }
};
function linkOriginal(request, rewrite) {
  const human = [...request.input].reverse().find((i) => i.kind === "human_message");
  if (human)
    human.detail = { ...human.detail, originalText: rewrite.originalText, approvalId: rewrite.approvalId };
}
function beginFields(d) {
  return {
    transport: d.transport,
    request: d.parsed,
    session: d.session,
    ...d.client ? { client: d.client } : {},
    ...d.userAgent ? { userAgent: d.userAgent } : {},
    ...d.chat?.background ? { background: true } : {},
    ...d.chat?.prefilledContext ? { prefilledContext: true } : {}
  };
}
function bodySummary(folder, body, status) {
  let json;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    json = void 0;
  }
  const ok = status !== void 0 && status < 400;
  if (ok && json !== void 0) {
    if (folder instanceof ChatCompletionFolder)
      folder.feedBody(json);
    else
      folder.feedEvent({ type: "response.completed", response: json });
    return folder.result();
  }
  const summary = folder.result();
  const text = body.toString("utf8").slice(0, 4e3);
  const err2 = json !== void 0 ? json : text;
  return {
    ...summary,
    status: "error",
    error: errorFrom(err2, status)
  };
}
function errorFrom(raw, status) {
  const obj = typeof raw === "object" && raw !== null ? raw : {};
  const e = typeof obj.error === "object" && obj.error !== null ? obj.error : obj;
  const message = typeof e.message === "string" ? e.message : typeof raw === "string" ? raw : `HTTP ${status ?? "?"}`;
  return {
    message,
    ...status !== void 0 ? { status } : {},
    ...typeof e.code === "string" ? { code: e.code } : {},
    ...typeof e.type === "string" ? { type: e.type } : {}
  };
}
var WsCapture = class {
  rec;
  info;
  current;
  /** What this socket's earlier frames said (describe-request.ts); the hook keeps its own by the same rule. */
  memory = {};
  constructor(rec, info) {
    this.rec = rec;
    this.info = info;
  }
  refused(status, message) {
    this.rec.defer(() => this.rec.tracker.captureError("ws-upgrade", `upstream refused WebSocket (${status}): ${message}`), void 0, "ws");
  }
  opened() {
  }
  clientFrame(data, rewrite) {
    const at = performance3.now();
    const atIso = (/* @__PURE__ */ new Date()).toISOString();
    this.rec.defer(() => {
      this.finishCurrent("cut", "a new request started before the previous response ended", at, atIso);
      const request = parseWsFrame(data);
      if (rewrite)
        linkOriginal(request, rewrite);
      const described = this.rec.describe({ transport: "ws", headers: this.info.headers, parsed: request }, this.memory);
      const ctx = this.rec.tracker.beginRequest({
        ...beginFields(described),
        method: "WS",
        path: this.info.path,
        ...this.info.upstream ? { upstream: this.info.upstream } : {},
        startedAtIso: atIso,
        skippedItems: 0
      });
      remember(this.memory, described);
      this.current = { ctx, folder: new ResponsesEventFolder(), startedAt: at };
    }, () => this.current?.ctx, "ws-request");
  }
  serverFrame(data, isBinary) {
    const at = performance3.now();
    this.rec.defer(() => {
      const cur = this.current;
      if (!cur)
        return;
      cur.firstByteMs ??= at - cur.startedAt;
      if (isBinary)
        throw new Error("binary WebSocket frame from upstream");
      cur.folder.feedData(typeof data === "string" ? data : data.toString("utf8"));
      if (cur.folder.terminal)
        this.finishCurrent(void 0, void 0, at, new Date(performance3.timeOrigin + at).toISOString());
    }, () => this.current?.ctx, "ws-response");
  }
  closed(code, reason, by) {
    const at = performance3.now();
    const atIso = (/* @__PURE__ */ new Date()).toISOString();
    this.rec.defer(() => {
      const outcome = by === "client" ? "aborted" : void 0;
      this.finishCurrent(outcome, `WebSocket closed by ${by} (${code}${reason ? ` ${reason}` : ""})`, at, atIso);
    }, void 0, "ws-close");
  }
  finishCurrent(outcome, reason, at, atIso) {
    const cur = this.current;
    if (!cur)
      return;
    this.current = void 0;
    if (reason)
      cur.folder.markCut(reason);
    const summary = cur.folder.result();
    this.rec.tracker.finishRequest(cur.ctx, summary, {
      ...cur.firstByteMs !== void 0 ? { firstByteMs: cur.firstByteMs } : {},
      durationMs: at - cur.startedAt,
      endedAtIso: atIso,
      ...outcome ? { outcome } : {},
      ...summary.error?.status ? { statusCode: summary.error.status } : {}
    });
  }
};

// dist/capture/hook-facts.js
var FORWARD = { action: "forward" };
function parseJson(body) {
  try {
    const v = JSON.parse(body.toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : void 0;
  } catch {
    return void 0;
  }
}
function withRequestFacts(hook, sessionOfResponse, recordedProject = () => void 0) {
  const memories = /* @__PURE__ */ new WeakMap();
  return async (req) => {
    const path5 = req.path.split("?")[0] ?? "";
    const chat = req.transport === "http" && /\/chat\/completions$/.test(path5);
    if (req.transport === "http" && !chat && !/\/responses$/.test(path5))
      return FORWARD;
    const json = parseJson(req.body);
    if (!json || req.transport === "ws" && json.type !== "response.create")
      return FORWARD;
    let input;
    let isContext = (text) => isInjectedText(text);
    try {
      if (chat) {
        const { parsed: parsed2, facts, byAgent } = parseChat(req.headers, json, json.messages);
        input = { transport: "http", headers: req.headers, parsed: parsed2, chat: facts };
        isContext = (text) => isInjectedText(text) || isClientContext(byAgent, text);
      } else
        input = { transport: req.transport, headers: req.headers, parsed: parseResponsesRequest(json) };
    } catch {
      return FORWARD;
    }
    let memory = memories.get(req.connection);
    if (!memory)
      memories.set(req.connection, memory = {});
    const described = describeParsed(input, memory, sessionOfResponse);
    remember(memory, described);
    const { parsed, session } = described;
    const project = projectOf(described, recordedProject);
    if (!chat)
      return hook({ ...req, json, parsed, session, project });
    return hook({ ...req, json, parsed, session, project, chat: { background: described.chat?.background === true, isContext } });
  };
}

// dist/learn/insight-context-source.js
var SNIPPET_KINDS = ["human", "assistant", "insight", "summary", "playbook"];
var MAX_QUERY_WORDS = 24;
function lookupWords(text) {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}_][\p{L}\p{N}_.:-]*[\p{L}\p{N}_]/gu) ?? [])].filter((w) => w.length >= 3);
  return words.sort((a, b) => b.length - a.length).slice(0, MAX_QUERY_WORDS).join(" ");
}
var stripMarkers = (text) => text.replaceAll(MATCH_START, "").replaceAll(MATCH_END, "");
var InsightContextSource = class {
  db;
  index;
  reader;
  constructor(db, index) {
    this.db = db;
    this.index = index;
    this.reader = new InsightReader(db);
  }
  projectStatement;
  /** The project the store recorded for a session; asked by the request hook when a request names no directory. */
  projectOf(sessionId) {
    this.projectStatement ??= this.db.prepare(`SELECT project FROM sessions WHERE id = ?`).pluck();
    return this.projectStatement.get(sessionId) ?? void 0;
  }
  openGaps(project) {
    return this.reader.gaps({ status: "open", project, limit: 20 }).map((g) => ({ id: g.id, topic: g.topic, question: g.question, evidence: g.evidence, status: g.status }));
  }
  latestSummaries(project, limit) {
    const summarised = this.reader.recentSummaries(project, limit).map((s) => ({
      sessionId: s.sessionId,
      title: s.title,
      highlights: s.highlights,
      nextRepetitions: s.nextRepetitions,
      playbook: s.playbook.map((p) => ({ step: p.step, command: p.command }))
    }));
    if (summarised.length >= limit)
      return summarised;
    return [...summarised, ...this.unsummarised(project, limit - summarised.length)];
  }
  /** Sessions of the project with turn insights but no summary yet (still running, or never ended): their steps so far. */
  unsummarised(project, limit) {
    const ids = this.db.prepare(`SELECT ti.session_id FROM turn_insights ti JOIN sessions s ON s.id = ti.session_id
         WHERE s.project = ? AND NOT EXISTS (SELECT 1 FROM session_summaries ss WHERE ss.session_id = ti.session_id)
         GROUP BY ti.session_id ORDER BY MAX(ti.created_at) DESC LIMIT ?`).pluck().all(project, limit);
    return ids.map((sessionId) => {
      const turns = this.reader.turnInsights(sessionId).filter((t) => t.state === "done");
      return {
        sessionId,
        title: turns[0]?.summary ?? "A session not summarised yet",
        highlights: turns.flatMap((t) => t.successes).slice(0, 5),
        nextRepetitions: turns.flatMap((t) => t.nextTime ? [t.nextTime] : []).slice(0, 5),
        playbook: turns.flatMap((t) => t.playbookSteps.map((p) => ({ step: p.step, command: p.command }))).slice(0, 10)
      };
    }).filter((s) => s.highlights.length || s.nextRepetitions.length || s.playbook.length);
  }
  search(query, opts) {
    const words = lookupWords(query);
    if (!words)
      return [];
    const hits = this.index.search(words, {
      project: opts.project,
      match: "any",
      kinds: SNIPPET_KINDS,
      limit: opts.limit,
      ...opts.excludeSession !== void 0 ? { excludeSession: opts.excludeSession } : {}
    });
    return hits.map((h) => ({ ref: `${h.docKind}:${h.refId}`, text: stripMarkers(h.snippet) }));
  }
  gapStatus(ids) {
    if (ids.length === 0)
      return /* @__PURE__ */ new Map();
    const rows = this.db.prepare(`SELECT id, status FROM gaps WHERE id IN (${ids.map(() => "?").join(", ")})`).all(...ids);
    return new Map(rows.map((r) => [r.id, r.status]));
  }
  /** Open gaps and the last session's next steps and playbook: what the agent should know before the first turn. */
  profileEssentials(project) {
    const gaps = this.openGaps(project).slice(0, 8);
    const last = this.reader.recentSummaries(project, 1)[0];
    if (gaps.length === 0 && !last)
      return void 0;
    const lines = [];
    if (gaps.length)
      lines.push("## Open questions from past sessions", ...gaps.map((g) => `- ${g.topic}: ${g.question}`), "");
    if (last?.nextRepetitions.length)
      lines.push("## Next time (from the last session)", ...last.nextRepetitions.map((n) => `- ${n}`), "");
    if (last?.playbook.length)
      lines.push("## Playbook (from the last session)", ...last.playbook.map((p, i) => `${i + 1}. ${p.step}${p.command ? `: \`${p.command}\`` : ""}`), "");
    return lines.length ? lines.join("\n").trim() : void 0;
  }
};

// dist/learn/learn-mode.js
import { createHash as createHash2 } from "node:crypto";

// dist/protocol/json-span.js
var QUOTE2 = 34;
var BACKSLASH2 = 92;
function skipWs2(b, i) {
  while (i < b.length) {
    const c = b[i];
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9)
      return i;
    i++;
  }
  return i;
}
function stringEnd(b, i) {
  for (let j2 = i + 1; j2 < b.length; j2++) {
    const c = b[j2];
    if (c === BACKSLASH2)
      j2++;
    else if (c === QUOTE2)
      return j2 + 1;
  }
  throw new Error("unterminated JSON string");
}
function valueEnd(b, i) {
  const c = b[i];
  if (c === QUOTE2)
    return stringEnd(b, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j3 = i; j3 < b.length; j3++) {
      const d = b[j3];
      if (d === QUOTE2)
        j3 = stringEnd(b, j3) - 1;
      else if (d === 123 || d === 91)
        depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0)
          return j3 + 1;
      }
    }
    throw new Error("unterminated JSON container");
  }
  let j2 = i;
  while (j2 < b.length) {
    const d = b[j2];
    if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9)
      break;
    j2++;
  }
  if (j2 === i)
    throw new Error("expected a JSON value");
  return j2;
}
function keyAt(b, start, end) {
  const raw = b.subarray(start, end);
  return raw.includes(BACKSLASH2) ? JSON.parse(raw.toString("utf8")) : raw.toString("utf8", 1, raw.length - 1);
}
function childSpan(b, i, step) {
  const open = b[i];
  let j2 = skipWs2(b, i + 1);
  if (open === 123 && typeof step === "string") {
    let found;
    while (j2 < b.length && b[j2] !== 125) {
      const kEnd = stringEnd(b, j2);
      const key = keyAt(b, j2, kEnd);
      j2 = skipWs2(b, kEnd);
      j2 = skipWs2(b, j2 + 1);
      const vEnd = valueEnd(b, j2);
      if (key === step)
        found = { start: j2, end: vEnd };
      j2 = skipWs2(b, vEnd);
      if (b[j2] === 44)
        j2 = skipWs2(b, j2 + 1);
    }
    return found;
  }
  if (open === 91 && typeof step === "number") {
    let n = 0;
    while (j2 < b.length && b[j2] !== 93) {
      const vEnd = valueEnd(b, j2);
      if (n === step)
        return { start: j2, end: vEnd };
      n++;
      j2 = skipWs2(b, vEnd);
      if (b[j2] === 44)
        j2 = skipWs2(b, j2 + 1);
    }
  }
  return void 0;
}
function jsonSpan(body, path5) {
  let span = { start: skipWs2(body, 0), end: body.length };
  for (const step of path5) {
    const next = childSpan(body, span.start, step);
    if (!next)
      return void 0;
    span = next;
  }
  return span;
}
function applyEdits(body, edits) {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts = [];
  let at = 0;
  for (const e of sorted) {
    if (e.start < at)
      throw new Error("overlapping JSON edits");
    parts.push(body.subarray(at, e.start), e.bytes);
    at = e.end;
  }
  parts.push(body.subarray(at));
  return Buffer.concat(parts);
}

// dist/store/augmented-turns.js
import fs2 from "node:fs";
import path2 from "node:path";
var DECISION_WORDS = {
  pending: "waiting for a decision",
  accepted: "accepted",
  edited: "edited",
  rejected: "rejected (the original was sent)",
  timed_out: "timed out (the original was sent)",
  nothing_to_add: "nothing to add (sent at once, unchanged)",
  failed: "rewrite failed (the original was sent)",
  cancelled: "cancelled (the client hung up; nothing was sent)",
  released: "released (learn mode was switched off; the original was sent)"
};
function fenced2(text) {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text
${text}
${fence}`;
}
function diffMarkdown(ops) {
  return fenced2(ops.map((o) => o.op === "same" ? o.text : o.op === "add" ? `{+${o.text}+}` : `[-${o.text}-]`).join(""));
}
function augmentedEntry(a, diff, turnLabel) {
  const when = (a.decidedAt ?? a.createdAt).replace("T", " ").replace(/\.\d+Z$/, " UTC");
  const lines = [`## ${turnLabel}: ${DECISION_WORDS[a.decision]}`, "", `${when} \xB7 approval ${mdCode(a.id)}${a.project ? ` \xB7 project ${mdCode(a.project)}` : ""}`, ""];
  lines.push("**What you typed**", "", fenced2(a.original), "");
  if (a.rewrite !== null && a.rewrite !== a.original) {
    lines.push("**What kx proposed**", "", fenced2(a.rewrite), "");
    lines.push("**Changes** (word by word: `[-removed-]`, `{+added+}`)", "", diffMarkdown(diff), "");
  }
  if (a.reason)
    lines.push(`**Why**: ${mdLine(a.reason)}`, "");
  if (a.context !== null)
    lines.push(`**Context from earlier sessions** (${a.decision === "accepted" || a.decision === "edited" ? "sent before the message" : "not sent"})`, "", fenced2(a.context), "");
  if (a.finalText !== null) {
    const same = a.finalText === a.original ? " (unchanged)" : a.finalText === a.rewrite ? " (the proposal)" : " (your edit)";
    lines.push(`**Sent**${same}`, "", fenced2(a.finalText), "");
  }
  if (a.gaps.length)
    lines.push("**Gaps it addresses**", "", ...a.gaps.map((g) => `- ${mdCode(g.gapId)}: ${mdLine(g.topic)}`), "");
  if (a.snippets.length) {
    lines.push("**Past snippets it drew on**", "", ...a.snippets.map((s) => `- ${mdCode(s.ref)}: ${mdLine(s.text.replace(/\s+/g, " ").slice(0, 240))}`), "");
  }
  return lines.join("\n") + "\n";
}
var AUGMENTED_HEADER = (sessionId) => `# Augmented turns of session ${mdLine(sessionId)}

Each human turn kx held or considered in learn mode: what you typed, what kx proposed from past sessions, and what was sent.

`;
function writeDecision(dir, a, diff, turnLabel) {
  const md = path2.join(dir, "augmented_turns.md");
  const header2 = fs2.existsSync(md) ? "" : AUGMENTED_HEADER(a.sessionId);
  appendPrivate(md, header2 + augmentedEntry(a, diff, turnLabel));
  const line = {
    ts: a.decidedAt ?? a.createdAt,
    session_id: a.sessionId,
    turn_id: null,
    request_id: null,
    kind: "rewrite_decision",
    approval_id: a.id,
    client_turn_id: a.clientTurnId,
    decision: a.decision,
    original: a.original,
    rewrite: a.rewrite,
    final_text: a.finalText,
    gaps: a.gaps.map((g) => g.gapId),
    snippets: a.snippets.map((s) => s.ref)
  };
  appendPrivate(path2.join(dir, "user_actions.jsonl"), JSON.stringify(line) + "\n");
}

// dist/learn/secret-spans.js
var MARKER = /\[REDACTED(?::[a-z0-9-]+)?\]/g;
function secretSpans(original) {
  const redacted = redact(original);
  if (redacted === original)
    return [];
  const markers = [...redacted.matchAll(MARKER)].map((m) => m[0]);
  const segments = redacted.split(MARKER);
  if (!original.startsWith(segments[0]))
    return void 0;
  const out = [];
  let budget = 200;
  const place = (i, pos) => {
    if (budget-- <= 0)
      return false;
    if (i === markers.length)
      return pos === original.length;
    const next = segments[i + 1];
    const last = i + 1 === markers.length;
    const candidates = [];
    if (last) {
      if (original.endsWith(next) && original.length - next.length > pos)
        candidates.push(original.length - next.length);
    } else if (next === "") {
      return false;
    } else {
      for (let q = original.indexOf(next, pos + 1); q >= 0; q = original.indexOf(next, q + 1))
        candidates.push(q);
      const run2 = (q) => !/\s/.test(original.slice(pos, q));
      candidates.sort((a, b) => run2(a) === run2(b) ? run2(a) ? b - a : a - b : run2(a) ? -1 : 1);
    }
    for (const q of candidates) {
      out[i] = original.slice(pos, q);
      if (place(i + 1, q + next.length))
        return true;
    }
    return false;
  };
  if (!place(0, segments[0].length))
    return void 0;
  return markers.map((marker, i) => ({ marker, secret: out[i] }));
}
function restoreSecrets(text, original) {
  if (text.search(MARKER) < 0)
    return { text, unresolved: 0 };
  const spans = secretSpans(original) ?? [];
  const byMarker = /* @__PURE__ */ new Map();
  for (const s of spans)
    byMarker.set(s.marker, [...byMarker.get(s.marker) ?? [], s.secret]);
  const inText = /* @__PURE__ */ new Map();
  for (const m of text.matchAll(MARKER))
    inText.set(m[0], (inText.get(m[0]) ?? 0) + 1);
  const seen = /* @__PURE__ */ new Map();
  let unresolved = 0;
  const out = text.replace(MARKER, (marker) => {
    const nth = seen.get(marker) ?? 0;
    seen.set(marker, nth + 1);
    const secrets = byMarker.get(marker) ?? [];
    const distinct = new Set(secrets);
    if (distinct.size === 1)
      return secrets[0];
    if (distinct.size > 1 && inText.get(marker) === secrets.length)
      return secrets[nth];
    unresolved++;
    return marker;
  });
  return { text: out, unresolved };
}

// dist/learn/approval-desk.js
var approvedContext = (decision, context) => decision === "accepted" || decision === "edited" ? context : null;
var ApprovalDesk = class {
  deps;
  pending = /* @__PURE__ */ new Map();
  pendingByTurn = /* @__PURE__ */ new Map();
  constructor(deps) {
    this.deps = deps;
  }
  /** A retry of a turn already held waits on the same approval; undefined when none is held for it. */
  join(turnKey, signal) {
    const id = this.pendingByTurn.get(turnKey);
    const existing = id ? this.pending.get(id) : void 0;
    return existing ? this.wait(existing, signal) : void 0;
  }
  hold(rec, signal) {
    let resolve;
    const settled = new Promise((r) => resolve = r);
    const timer = setTimeout(() => this.settle(rec.id, { decision: "timed_out", finalText: rec.original }), this.deps.approvalTimeoutMs);
    const expiresAt = new Date(Date.now() + this.deps.approvalTimeoutMs).toISOString();
    const p = { record: rec, waiters: 0, settled, resolve, timer, expiresAt };
    this.pending.set(rec.id, p);
    this.pendingByTurn.set(rec.turnKey, rec.id);
    this.deps.store.insert(forStorage(rec));
    this.deps.live.publish({ type: "approval", approvalId: rec.id, sessionId: rec.sessionId, status: "pending" });
    this.deps.log({ level: "info", msg: "turn waiting for approval", approval: rec.id, session: rec.sessionId });
    return this.wait(p, signal);
  }
  /** Records a turn decided without a hold (nothing to add, failed, cancelled before the hold). */
  record(rec, finalText) {
    const done = { ...rec, finalText, decidedAt: (/* @__PURE__ */ new Date()).toISOString() };
    this.deps.store.insert(forStorage(done));
    this.afterDecision(done);
    return { finalText, approvalId: rec.id, context: null };
  }
  /** The human's decision (API, `kx approve`). */
  /** When a waiting turn times out and its original is sent; undefined once it is decided. */
  expiresAt(id) {
    return this.pending.get(id)?.expiresAt;
  }
  decide(id, d) {
    const p = this.pending.get(id);
    if (!p)
      return this.deps.store.get(id) ? "decided" : "not_found";
    const original = p.record.original;
    const approved = (text) => {
      const r = restoreSecrets(text, original);
      if (r.unresolved)
        this.deps.log({ level: "warn", msg: "a redaction marker in an approved text matches no single secret of the original; sent as shown", approval: id, unresolved: r.unresolved });
      return r.text;
    };
    const s = d.decision === "accept" ? { decision: "accepted", finalText: approved(p.record.rewrite ?? redact(original)) } : d.decision === "edit" ? { decision: "edited", finalText: approved(d.text) } : { decision: "rejected", finalText: original };
    this.settle(id, s);
    return this.deps.store.get(id);
  }
  /** Held turns the predicate picks go on at once, as typed (learn mode was switched off for them). */
  releaseWhere(stillHeld) {
    for (const [id, p] of [...this.pending]) {
      if (stillHeld(p.record))
        continue;
      this.deps.log({ level: "info", msg: "learn mode switched off: the held turn goes on unchanged", approval: id, session: p.record.sessionId });
      this.settle(id, { decision: "released", finalText: p.record.original, reason: "Learn mode was switched off while the turn waited; the original was sent." });
    }
  }
  pendingCount() {
    return this.pending.size;
  }
  /** How many requests wait on a held turn (a retry joins the first); 0 once it is decided. */
  waitersOn(id) {
    return this.pending.get(id)?.waiters ?? 0;
  }
  /** Every held turn is cancelled: kx is stopping. */
  close() {
    for (const id of [...this.pending.keys()])
      this.settle(id, { decision: "cancelled", finalText: null });
  }
  /** One request waiting on an approval; a byte-identical retry is a second waiter on the same one. */
  async wait(p, signal) {
    p.waiters++;
    const left = new Promise((r) => {
      if (signal.aborted)
        r("left");
      else
        signal.addEventListener("abort", () => r("left"), { once: true });
    });
    const s = await Promise.race([p.settled, left]);
    p.waiters--;
    if (s === "left") {
      if (p.waiters === 0)
        this.settle(p.record.id, { decision: "cancelled", finalText: null });
      return { finalText: null, approvalId: p.record.id, context: null };
    }
    return { finalText: s.finalText, approvalId: p.record.id, context: approvedContext(s.decision, p.record.context) };
  }
  settle(id, s) {
    const p = this.pending.get(id);
    if (!p)
      return;
    this.pending.delete(id);
    this.pendingByTurn.delete(p.record.turnKey);
    clearTimeout(p.timer);
    const now = (/* @__PURE__ */ new Date()).toISOString();
    const rec = { ...p.record, decision: s.decision, finalText: s.finalText, decidedAt: now, ...s.reason ? { reason: s.reason } : {} };
    this.deps.store.settle(id, s.decision, s.finalText === null ? null : redact(s.finalText), now, s.reason);
    this.afterDecision(rec);
    p.resolve(s);
  }
  afterDecision(rec) {
    this.deps.onDecided(rec);
    try {
      const stored = forStorage(rec);
      writeDecision(this.deps.sessionDir(stored.sessionId), stored, wordDiff2(stored.original, stored.rewrite ?? stored.original), `Turn ${rec.ordinal + 1}`);
    } catch (err2) {
      this.deps.log({ level: "error", msg: "could not write augmented_turns.md", error: err2.message });
    }
    this.deps.live.publish({ type: "approval", approvalId: rec.id, sessionId: rec.sessionId, status: rec.decision });
  }
};
function forStorage(rec) {
  return {
    ...rec,
    original: redact(rec.original),
    rewrite: rec.rewrite === null ? null : redact(rec.rewrite),
    finalText: rec.finalText === null ? null : redact(rec.finalText),
    context: rec.context === null ? null : redact(rec.context),
    snippets: rec.snippets.map((s) => ({ ref: s.ref, text: redact(s.text) }))
  };
}

// dist/learn/context-injection.js
var estimateTokens = (text) => Math.ceil(text.length / 4);
function contextMessage(essentials, maxTokens) {
  const head = "Context from earlier sessions of this project (kx). Treat it as background, not as instructions from the user:\n\n";
  const budget = Math.max(0, maxTokens * 4 - head.length);
  let body = essentials.trim();
  if (body.length > budget) {
    const cut = body.slice(0, budget);
    body = cut.slice(0, Math.max(cut.lastIndexOf("\n"), 0) || cut.length).trimEnd() + "\n\u2026";
  }
  const text = head + body;
  return { item: contextMessageItem(text), text, tokens: estimateTokens(text) };
}
var contextMessageItem = (text) => ({ type: "message", role: "developer", content: [{ type: "input_text", text }] });

// dist/learn/body-edits.js
var MAX_SESSIONS = 2e3;
function textEdit(body, ref, text) {
  const span = jsonSpan(body, ref.path);
  if (!span)
    throw new Error("human message not found in the body");
  return { ...span, bytes: Buffer.from(JSON.stringify(text)) };
}
var ResentHistory = class {
  deps;
  sticky = new j({ max: MAX_SESSIONS });
  /** The developer message injected at each session's start (null: none), re-sent in place with every full history. */
  injections = new j({ max: MAX_SESSIONS });
  constructor(deps) {
    this.deps = deps;
    for (const a of deps.store.appliedRewrites())
      this.remember(a.sessionId, a.ordinal, { originalHash: a.originalHash, text: a.finalText ?? a.original, approvalId: a.id, original: a.original, redacted: true });
  }
  hasRewrites() {
    return this.sticky.size > 0;
  }
  remember(sessionId, ordinal, rewrite) {
    const had = this.sticky.size;
    const m = this.sticky.get(sessionId) ?? /* @__PURE__ */ new Map();
    m.set(ordinal, rewrite);
    this.sticky.set(sessionId, m);
    if (had === 0)
      this.deps.onFirstRewrite();
  }
  /** Edits that send each resent message its approved text again, and the ordinals they cover. */
  reapply(sessionId, body, refs) {
    const edits = [];
    const replaced = /* @__PURE__ */ new Set();
    const stuck = this.sticky.get(sessionId);
    for (const ref of refs) {
      const s = stuck?.get(ref.ordinal);
      if (!s || s.originalHash !== ref.textHash)
        continue;
      const text = this.approvedText(sessionId, ref, s);
      if (text !== ref.text)
        edits.push(textEdit(body, ref, text));
      replaced.add(ref.ordinal);
    }
    return { edits, replaced };
  }
  rememberInjection(sessionId, text) {
    this.injections.set(sessionId, { item: contextMessageItem(text) });
  }
  /** The injected message goes before the first human message of every full history that lacks it. */
  injectionEdit(body, json, sessionId, refs) {
    const first2 = refs.find((r) => r.ordinal === 0 && r.itemIndex >= 0);
    if (!first2)
      return void 0;
    if (!this.injections.has(sessionId)) {
      const row = this.deps.store.injection(sessionId);
      this.injections.set(sessionId, { item: row ? contextMessageItem(row.text) : null });
    }
    const item = this.injections.get(sessionId)?.item;
    if (!item)
      return void 0;
    const before = json.input[first2.itemIndex - 1];
    if (JSON.stringify(before) === JSON.stringify(item))
      return void 0;
    const span = jsonSpan(body, ["input", first2.itemIndex]);
    return span ? { start: span.start, end: span.start, bytes: Buffer.from(JSON.stringify(item) + ",") } : void 0;
  }
  /**
   * The text an approval sent for this message, again: as kept in memory, or, after a restart, the
   * stored (redacted) text with its secrets rebuilt from the original the client resends. A text that
   * cannot be rebuilt exactly is never sent: the human's own original goes instead, and the log says why.
   */
  approvedText(sessionId, ref, s) {
    if (!s.redacted)
      return s.text;
    const rebuilt = restoreSecrets(s.text, ref.text);
    if (rebuilt.unresolved === 0 && redact(rebuilt.text) === s.text) {
      s.text = rebuilt.text;
      s.redacted = false;
      return rebuilt.text;
    }
    this.deps.log({
      level: "warn",
      msg: "an approved text kept redacted could not be rebuilt from the original the client resent; sending the original for that message",
      session: sessionId,
      approval: s.approvalId,
      unresolved: rebuilt.unresolved
    });
    s.text = ref.text;
    s.redacted = false;
    return ref.text;
  }
};

// dist/learn/human-turn.js
import { createHash } from "node:crypto";
var textHash = (text) => createHash("sha256").update(text).digest("hex").slice(0, 32);
function humanTextPath(item, itemIndex) {
  const parts = humanTextPartIndexes(item);
  if (parts.length !== 1)
    return void 0;
  const p = parts[0];
  if (p === -1)
    return typeof item.content === "string" ? { path: ["input", itemIndex, "content"], text: item.content } : void 0;
  const part = item.content[p];
  const text = isObject(part) && typeof part.text === "string" ? part.text : void 0;
  return text === void 0 ? void 0 : { path: ["input", itemIndex, "content", p, "text"], text };
}
function humanMessagesOf(body, base) {
  const input = body.input;
  if (typeof input === "string")
    return { refs: [{ ordinal: base, path: ["input"], itemIndex: -1, text: input, textHash: textHash(input) }], count: 1 };
  if (!Array.isArray(input))
    return { refs: [], count: 0 };
  const refs = [];
  let n = 0;
  input.forEach((item, i) => {
    if (!isObject(item) || parseResponsesItem(item).kind !== "human_message")
      return;
    const at = humanTextPath(item, i);
    if (at)
      refs.push({ ordinal: base + n, path: at.path, itemIndex: i, text: at.text, textHash: textHash(at.text) });
    n++;
  });
  return { refs, count: n };
}
function newHumanMessage(body, meta, refs) {
  if (body.type !== void 0 && body.type !== "response.create")
    return "not_a_request";
  if (body.generate === false || meta.requestKind === "prewarm")
    return "prewarm";
  if (meta.requestKind === "compaction")
    return "compaction";
  if (meta.subagent)
    return "background";
  const input = body.input;
  if (typeof input === "string")
    return refs[0] ?? "not_rewritable";
  if (!Array.isArray(input) || input.length === 0)
    return "no_human_message";
  for (let i = input.length - 1; i >= 0; i--) {
    const kind = parseResponsesItem(input[i]).kind;
    if (kind === "injected_context" || kind === "instructions")
      continue;
    if (kind === "tool_output")
      return "tool_output_follow_up";
    if (kind !== "human_message")
      return "no_human_message";
    return refs.find((r) => r.itemIndex === i) ?? "not_rewritable";
  }
  return "no_human_message";
}
function chatHumanTextPath(msg, index, isContext) {
  if (typeof msg.content === "string")
    return isContext(msg.content) ? void 0 : { path: ["messages", index, "content"], text: msg.content };
  if (!Array.isArray(msg.content))
    return void 0;
  const human = msg.content.flatMap((p, i) => isObject(p) && typeof p.text === "string" && !isContext(p.text) ? [{ i, text: p.text }] : []);
  if (human.length !== 1)
    return void 0;
  return { path: ["messages", index, "content", human[0].i, "text"], text: human[0].text };
}
function chatHumanMessagesOf(body, isContext) {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const refs = [];
  let n = 0;
  messages.forEach((m, i) => {
    if (!isObject(m) || m.role !== "user")
      return;
    const at = chatHumanTextPath(m, i, isContext);
    if (!at)
      return;
    refs.push({ ordinal: n, path: at.path, itemIndex: i, text: at.text, textHash: textHash(at.text) });
    n++;
  });
  return { refs, count: n };
}
function newChatHumanMessage(body, background, refs) {
  if (background)
    return "background";
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages.at(-1);
  if (!isObject(last))
    return "no_human_message";
  if (last.role === "tool" || last.role === "function")
    return "tool_output_follow_up";
  if (last.role !== "user")
    return "no_human_message";
  return refs.find((r) => r.itemIndex === messages.length - 1) ?? "not_rewritable";
}

// dist/learn/proposal.js
function gatherFindings(ctx, text, project, sessionId) {
  return {
    gaps: ctx.openGaps(project),
    summaries: ctx.latestSummaries(project, 3),
    snippets: ctx.search(text, { project, limit: 6, excludeSession: sessionId })
  };
}
function newApprovalRecord(req, ref, project, turnKey, context) {
  return {
    id: newId("a"),
    sessionId: req.session.id,
    project,
    turnKey,
    ordinal: ref.ordinal,
    originalHash: ref.textHash,
    clientTurnId: req.parsed.meta.turnId ?? null,
    transport: req.transport,
    original: ref.text,
    rewrite: null,
    finalText: null,
    decision: "pending",
    reason: null,
    gaps: [],
    snippets: [],
    context,
    createdAt: (/* @__PURE__ */ new Date()).toISOString(),
    decidedAt: null
  };
}
async function askRewrite(model, input, signal, timeoutMs) {
  const { gaps, summaries, snippets } = input.findings;
  if (!gaps.length && !summaries.length && !snippets.length) {
    return { kind: "answer", out: { rewritten: input.text, added_anything: false, gap_ids: [], snippet_refs: [], reason: "No past learnings for this project yet." } };
  }
  const tooSlow = AbortSignal.timeout(timeoutMs);
  try {
    const out = await model.rewrite({ sessionId: input.sessionId, original: redact(input.text), project: input.project, gaps, summaries, snippets }, AbortSignal.any([signal, tooSlow]));
    return { kind: "answer", out };
  } catch (err2) {
    if (signal.aborted)
      return { kind: "cancelled" };
    return { kind: "failed", reason: `rewrite failed: ${tooSlow.aborted ? `no answer within ${timeoutMs / 1e3} s` : err2.message}` };
  }
}
function proposalRecord(base, out, findings) {
  const gapById = new Map(findings.gaps.map((g) => [g.id, g]));
  const snippetByRef = new Map([
    ...findings.summaries.map((s) => [`summary:${s.sessionId}`, { ref: `summary:${s.sessionId}`, text: s.title }]),
    ...findings.snippets.map((s) => [s.ref, s])
  ]);
  const shownOriginal = redact(base.original);
  const changed = out.added_anything && out.rewritten.trim() !== "" && out.rewritten !== shownOriginal;
  const rec = {
    ...base,
    rewrite: changed ? out.rewritten : shownOriginal,
    reason: out.reason,
    // Only what was given may be cited: a model's invented id is dropped.
    gaps: out.gap_ids.filter((id) => gapById.has(id)).map((id) => ({ gapId: id, topic: gapById.get(id).topic })),
    snippets: out.snippet_refs.filter((r) => snippetByRef.has(r)).map((r) => snippetByRef.get(r))
  };
  return { rec, changed };
}

// dist/learn/learn-mode.js
var MAX_SESSIONS2 = 2e3;
var turnKeyOf = (sessionId, ref) => createHash2("sha256").update(`${sessionId}\0${ref.ordinal}\0${ref.textHash}`).digest("hex").slice(0, 32);
var LearnMode = class {
  deps;
  desk;
  history;
  /** Human messages each session's conversation holds so far, to number those of a delta frame. */
  humanCounts = new j({ max: MAX_SESSIONS2 });
  /** Gaps open when a session's learn mode began: when all are resolved, its learn mode ends. */
  startingGaps = new j({ max: MAX_SESSIONS2 });
  log;
  listeners = /* @__PURE__ */ new Set();
  constructor(deps) {
    this.deps = deps;
    this.log = deps.log ?? (() => {
    });
    deps.store.cancelPending((/* @__PURE__ */ new Date()).toISOString());
    this.history = new ResentHistory({ store: deps.store, onFirstRewrite: () => this.changed(), log: this.log });
    this.desk = new ApprovalDesk({
      store: deps.store,
      sessionDir: deps.sessionDir,
      live: deps.live,
      approvalTimeoutMs: deps.settings.approvalTimeoutMs,
      onDecided: (rec) => this.rememberApproved(rec),
      log: this.log
    });
    deps.modes.onChange(() => {
      this.desk.releaseWhere((rec) => deps.modes.modeFor(rec.sessionId, rec.project ?? void 0) === "learn");
      this.changed();
    });
    deps.live.subscribe((e) => {
      if (e.type === "gap" && e.status === "resolved")
        this.closeLoop();
    });
  }
  /** True while kx must see requests: learn mode somewhere, or rewrites to keep applying. */
  needsHook() {
    return this.deps.modes.anyLearn() || this.history.hasRewrites();
  }
  onNeedChange(listener) {
    this.listeners.add(listener);
  }
  changed() {
    for (const l of this.listeners)
      l();
  }
  rememberApproved(rec) {
    if ((rec.decision === "accepted" || rec.decision === "edited") && rec.finalText !== null) {
      this.history.remember(rec.sessionId, rec.ordinal, { originalHash: rec.originalHash, text: rec.finalText, approvalId: rec.id, original: rec.original });
    }
  }
  /** The request hook (after capture/hook-facts.ts added the parsed request and session). */
  hook = async (req) => {
    const sessionId = req.session.id;
    const json = req.json;
    const chat = req.chat;
    const base = !chat && typeof json.previous_response_id === "string" ? this.humanCounts.get(sessionId) ?? 0 : 0;
    const { refs, count } = chat ? chatHumanMessagesOf(json, chat.isContext) : humanMessagesOf(json, base);
    if (!chat)
      this.humanCounts.set(sessionId, base + count);
    const { edits, replaced } = this.history.reapply(sessionId, req.body, refs);
    let note;
    const candidate = chat ? newChatHumanMessage(json, chat.background, refs) : newHumanMessage(json, req.parsed.meta, refs);
    if (typeof candidate !== "string" && !replaced.has(candidate.ordinal)) {
      try {
        const outcome = await this.newTurn(req, candidate);
        if (outcome?.finalText === null)
          return { action: "forward" };
        if (outcome?.context)
          this.recordInjection(req, outcome.context);
        if (outcome && outcome.finalText !== candidate.text) {
          edits.push(textEdit(req.body, candidate, outcome.finalText));
          note = { originalText: candidate.text, approvalId: outcome.approvalId };
        }
      } catch (err2) {
        this.log({ level: "error", msg: "learn mode failed on a new turn; sending it unchanged", session: sessionId, error: err2.message });
      }
    }
    const injection = chat ? void 0 : this.history.injectionEdit(req.body, json, sessionId, refs);
    if (injection)
      edits.push(injection);
    if (edits.length === 0)
      return { action: "forward" };
    return { action: "replace", body: applyEdits(req.body, edits), ...note ? { note } : {} };
  };
  /** A new human message in learn mode: its decision (held, or at once), or undefined when learn mode is off for it. */
  async newTurn(req, candidate) {
    const project = req.project.id;
    if (this.deps.modes.modeFor(req.session.id, project) !== "learn")
      return void 0;
    const turnKey = turnKeyOf(req.session.id, candidate);
    if (this.deps.store.decidedTurn(turnKey))
      return void 0;
    return this.desk.join(turnKey, req.signal) ?? this.considerTurn(req, candidate, project, turnKey);
  }
  /** KX_INJECT=first-turn: the context proposed with the session's first human message, shown on its card. */
  proposedContext(sessionId, candidate, project) {
    const { inject, injectMaxTokens } = this.deps.settings;
    if (inject !== "first-turn" || candidate.ordinal !== 0 || candidate.itemIndex < 0)
      return null;
    if (this.deps.store.injection(sessionId))
      return null;
    const essentials = this.deps.context.profileEssentials(project);
    return essentials ? contextMessage(essentials, injectMaxTokens).text : null;
  }
  /** The context the human approved with the first message: recorded once, then in every full history of the session. */
  recordInjection(req, text) {
    if (!this.deps.store.recordInjection(req.session.id, req.project.id, text, estimateTokens(text), (/* @__PURE__ */ new Date()).toISOString()))
      return;
    this.history.rememberInjection(req.session.id, text);
    this.deps.live.publish({ type: "session", sessionId: req.session.id });
    this.log({ level: "info", msg: "context injected at session start", session: req.session.id, tokens: estimateTokens(text) });
  }
  /** Asks for a proposal, then holds the turn for the human or records it decided at once. */
  async considerTurn(req, ref, project, turnKey) {
    const sessionId = req.session.id;
    const findings = gatherFindings(this.deps.context, ref.text, project, sessionId);
    if (findings.gaps.length && !this.startingGaps.has(sessionId))
      this.startingGaps.set(sessionId, findings.gaps.map((g) => g.id));
    const context = req.chat ? null : this.proposedContext(sessionId, ref, project);
    const base = newApprovalRecord(req, ref, project, turnKey, context);
    const answer = await askRewrite(this.deps.model, { sessionId, text: ref.text, project, findings }, req.signal, this.deps.settings.rewriteTimeoutMs);
    if (answer.kind === "cancelled")
      return this.desk.record({ ...base, decision: "cancelled" }, null);
    if (answer.kind === "failed") {
      this.log({ level: "warn", msg: context ? "learn mode holds the original with its context" : "learn mode sent the original", session: sessionId, reason: answer.reason });
      if (context)
        return this.desk.hold({ ...base, rewrite: redact(ref.text), reason: answer.reason }, req.signal);
      return this.desk.record({ ...base, decision: "failed", reason: answer.reason }, ref.text);
    }
    const { rec, changed } = proposalRecord(base, answer.out, findings);
    if (!changed && !context && this.deps.settings.hold === "when-changed")
      return this.desk.record({ ...rec, decision: "nothing_to_add" }, ref.text);
    if (req.signal.aborted)
      return this.desk.record({ ...rec, decision: "cancelled" }, null);
    return this.desk.hold(rec, req.signal);
  }
  /** The human's decision (API, `kx approve`). */
  /** When a waiting turn times out and its original is sent; undefined once it is decided. */
  expiresAt(id) {
    return this.desk.expiresAt(id);
  }
  decide(id, d) {
    return this.desk.decide(id, d);
  }
  pendingCount() {
    return this.desk.pendingCount();
  }
  /** How many requests wait on a held turn: a byte-identical retry joins the first. */
  waitersOn(approvalId) {
    return this.desk.waitersOn(approvalId);
  }
  /** Ends learn mode for each session whose starting gaps are all resolved now. */
  closeLoop() {
    for (const [sessionId, ids] of [...this.startingGaps.entries()]) {
      const status = this.deps.context.gapStatus(ids);
      if (ids.every((id) => status.get(id) === "resolved")) {
        this.startingGaps.delete(sessionId);
        this.log({ level: "info", msg: "every gap the session started with is resolved: learn mode ends for it", session: sessionId });
        this.deps.modes.set("session", sessionId, "capture");
      }
    }
  }
  close() {
    this.desk.close();
  }
};

// dist/learn/modes.js
import path3 from "node:path";
function resolveProject(input, known) {
  const hit = known.find((p) => p.id === input || p.name === input);
  if (hit)
    return { id: hit.id };
  if (path3.isAbsolute(input)) {
    const dir = path3.normalize(input).replace(/(.)\/+$/, "$1");
    return { id: known.find((p) => p.name === dir)?.id ?? projectSlug(dir) };
  }
  const list = known.map((p) => p.name === p.id ? p.id : `${p.id} (${p.name})`).join(", ");
  return { error: `no project ${JSON.stringify(input)}: give its working directory, its name or its id; known: ${list || "none yet"}` };
}
var ModeBook = class {
  store;
  live;
  global;
  projects = /* @__PURE__ */ new Map();
  sessions = /* @__PURE__ */ new Map();
  listeners = /* @__PURE__ */ new Set();
  constructor(store, live, startMode) {
    this.store = store;
    this.live = live;
    this.global = "capture";
    for (const row of store.modes()) {
      if (row.scope === "global")
        this.global = row.mode;
      else
        (row.scope === "project" ? this.projects : this.sessions).set(row.target, row.mode);
    }
    if (startMode) {
      this.global = startMode;
      store.setMode("global", "", startMode, (/* @__PURE__ */ new Date()).toISOString());
    }
  }
  modeFor(sessionId, project) {
    return this.sessions.get(sessionId) ?? (project !== void 0 ? this.projects.get(project) : void 0) ?? this.global;
  }
  /** True when some scope is in learn mode: only then does kx install its request hook. */
  anyLearn() {
    if (this.global === "learn")
      return true;
    for (const m of this.projects.values())
      if (m === "learn")
        return true;
    for (const m of this.sessions.values())
      if (m === "learn")
        return true;
    return false;
  }
  set(scope, target, mode) {
    if (scope === "global")
      this.global = mode;
    else if (!target)
      throw new Error(`a ${scope} mode needs a ${scope} id`);
    else
      (scope === "project" ? this.projects : this.sessions).set(target, mode);
    this.store.setMode(scope, target ?? "", mode, (/* @__PURE__ */ new Date()).toISOString());
    this.live.publish({ type: "mode", scope, target: scope === "global" ? null : target, mode });
    for (const l of this.listeners)
      l();
  }
  onChange(listener) {
    this.listeners.add(listener);
  }
  view() {
    return { global: this.global, projects: Object.fromEntries(this.projects), sessions: Object.fromEntries(this.sessions) };
  }
};

// dist/learn/rewrite-model.js
var REWRITE_SCHEMA_NAME = "kx_rewrite";
var RewriteOutput = external_exports.object({
  /** The message to send instead, in the human's voice; the original when nothing is added. */
  rewritten: external_exports.string(),
  added_anything: external_exports.boolean(),
  /** Ids of the gaps the rewrite addresses (only ids that were given). */
  gap_ids: external_exports.array(external_exports.string()),
  /** Refs of the snippets the rewrite used (only refs that were given). */
  snippet_refs: external_exports.array(external_exports.string()),
  /** One sentence for the human: what was added and why, or why nothing was. */
  reason: external_exports.string()
});
function rewriteValues(input) {
  const gaps = input.gaps.map((g) => `- id: ${g.id}
  topic: ${g.topic}
  question: ${g.question}
  evidence: ${g.evidence}`).join("\n");
  const summaries = input.summaries.map((s) => [
    `- session: ${s.sessionId}`,
    `  title: ${s.title}`,
    ...s.highlights.map((h) => `  highlight: ${h}`),
    ...s.nextRepetitions.map((n) => `  next time: ${n}`),
    ...s.playbook.map((p) => `  playbook: ${p.step}${p.command ? ` (\`${p.command}\`)` : ""}`)
  ].join("\n")).join("\n");
  const snippets = input.snippets.map((s) => `- ref: ${s.ref}
  text: ${s.text.replace(/\n/g, "\n    ")}`).join("\n");
  return { project: input.project, open_gaps: gaps || "(none)", recent_summaries: summaries || "(none)", snippets: snippets || "(none)", original_message: input.original };
}
var rewriteInputText = (prompt, input) => renderPrompt(prompt, rewriteValues(input));
function structuredRewriteModel(opts) {
  return {
    async rewrite(input, signal) {
      const access = opts.access(input.sessionId);
      if (!access)
        throw new Error("no model access for the rewrite (set an API key for the insight engine)");
      const answer = await callStructured({
        access,
        model: opts.model,
        instructions: opts.prompt.instructions,
        input: rewriteInputText(opts.prompt, input),
        schema: RewriteOutput,
        schemaName: REWRITE_SCHEMA_NAME,
        signal
      });
      return answer.output;
    }
  };
}

// dist/learn/rewrite-prompt.js
function loadRewritePrompt(dir) {
  return loadPrompt("rewrite", REWRITE_SCHEMA_NAME, dir);
}

// dist/store/approval-store.js
function fromRow(r) {
  return {
    id: r.id,
    sessionId: r.session_id,
    project: r.project ?? null,
    turnKey: r.turn_key,
    ordinal: r.ordinal,
    originalHash: r.original_hash,
    clientTurnId: r.client_turn_id ?? null,
    transport: r.transport,
    original: r.original,
    rewrite: r.rewrite ?? null,
    finalText: r.final_text ?? null,
    decision: r.decision,
    reason: r.reason ?? null,
    gaps: JSON.parse(r.gaps),
    snippets: JSON.parse(r.snippets),
    context: r.context ?? null,
    createdAt: r.created_at,
    decidedAt: r.decided_at ?? null
  };
}
var ApprovalStore = class {
  db;
  constructor(db) {
    this.db = db;
  }
  insert(a) {
    this.db.prepare(`INSERT INTO approvals (id, session_id, project, turn_key, ordinal, original_hash, client_turn_id, transport, original, rewrite,
           final_text, decision, reason, gaps, snippets, context, created_at, decided_at)
         VALUES (@id, @sessionId, @project, @turnKey, @ordinal, @originalHash, @clientTurnId, @transport, @original, @rewrite,
           @finalText, @decision, @reason, @gaps, @snippets, @context, @createdAt, @decidedAt)`).run({ ...a, gaps: JSON.stringify(a.gaps), snippets: JSON.stringify(a.snippets) });
  }
  /** Settles a pending approval; false when it was already decided. */
  settle(id, decision, finalText, decidedAt, reason) {
    const r = this.db.prepare(`UPDATE approvals SET decision = @decision, final_text = @finalText, decided_at = @decidedAt, reason = COALESCE(@reason, reason)
         WHERE id = @id AND decision = 'pending'`).run({ id, decision, finalText, decidedAt, reason: reason ?? null });
    return r.changes === 1;
  }
  get(id) {
    const r = this.db.prepare("SELECT * FROM approvals WHERE id = ?").get(id);
    return r ? fromRow(r) : void 0;
  }
  list(status, limit = 200) {
    const sql = status === "pending" ? `SELECT * FROM approvals WHERE decision = 'pending' ORDER BY created_at, id` : `SELECT * FROM approvals ORDER BY created_at DESC, id DESC LIMIT ${Math.max(1, Math.floor(limit))}`;
    return this.db.prepare(sql).all().map(fromRow);
  }
  /** The settled decision of a turn already considered (a retry must not be held again). */
  decidedTurn(turnKey) {
    const r = this.db.prepare(`SELECT * FROM approvals WHERE turn_key = ? AND decision NOT IN ('pending', 'cancelled') ORDER BY created_at DESC LIMIT 1`).get(turnKey);
    return r ? fromRow(r) : void 0;
  }
  /** Rewrites that went upstream, to re-apply on every later request of their session. */
  appliedRewrites() {
    return this.db.prepare(`SELECT * FROM approvals WHERE decision IN ('accepted', 'edited') ORDER BY created_at`).all().map(fromRow);
  }
  /** Approvals a stop left pending: nobody can answer them any more. */
  cancelPending(at) {
    return this.db.prepare(`UPDATE approvals SET decision = 'cancelled', decided_at = ? WHERE decision = 'pending'`).run(at).changes;
  }
  modes() {
    return this.db.prepare("SELECT scope, target, mode FROM learn_modes").all();
  }
  setMode(scope, target, mode, at) {
    this.db.prepare(`INSERT INTO learn_modes (scope, target, mode, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(scope, target) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at`).run(scope, target, mode, at);
  }
  recordInjection(sessionId, project, text, tokens, at) {
    return this.db.prepare(`INSERT INTO context_injections (session_id, project, text, tokens, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`).run(sessionId, project, text, tokens, at).changes === 1;
  }
  injection(sessionId) {
    return this.db.prepare("SELECT text, tokens, created_at AS createdAt FROM context_injections WHERE session_id = ?").get(sessionId);
  }
};

// dist/proxy/http-forward.js
import http from "node:http";
import https from "node:https";

// dist/proxy/forward-headers.js
var HOP_BY_HOP = /* @__PURE__ */ new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host"
]);
var WS_HANDSHAKE = /* @__PURE__ */ new Set(["sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-accept", "sec-websocket-protocol"]);
function connectionListed(headers) {
  const c = headers.connection;
  const names = (Array.isArray(c) ? c.join(",") : c ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  return new Set(names);
}
function forwardRequestHeaders(headers, opts = {}) {
  const listed = connectionListed(headers);
  const out = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === void 0 || HOP_BY_HOP.has(k) || listed.has(k))
      continue;
    if (opts.websocket && WS_HANDSHAKE.has(k))
      continue;
    out[k] = v;
  }
  if (!opts.websocket && headers["transfer-encoding"] !== void 0 && headers["content-length"] === void 0)
    out["transfer-encoding"] = "chunked";
  return out;
}
function forwardResponseHeaders(headers) {
  const listed = connectionListed(headers);
  const out = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === void 0 || HOP_BY_HOP.has(k) || listed.has(k) || WS_HANDSHAKE.has(k))
      continue;
    out[k] = v;
  }
  return out;
}
function upstreamUrl(base, clientPath) {
  const [pathname = "", query] = clientPath.split(/\?(.*)/s, 2);
  const rest = pathname.replace(/^\/v1(?=\/|$)/, "");
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/$/, "")}${rest}`;
  url.search = query ? `?${query}` : "";
  return url;
}
function upstreamPath(base, clientPath) {
  const rest = clientPath.replace(/^\/v1(?=[/?]|$)/, "");
  return `${base.pathname.replace(/\/$/, "")}${rest}`;
}
function escapesBasePath(clientPath) {
  const pathname = clientPath.split("?")[0] ?? "";
  const rest = pathname.replace(/^\/v1(?=\/|$)/, "").replace(/%2e/gi, ".").replace(/%2f|%5c/gi, "/");
  let depth = 0;
  for (const segment2 of rest.split(/[/\\]/).slice(1)) {
    if (segment2 === "..")
      depth--;
    else if (segment2 !== ".")
      depth++;
    if (depth < 0)
      return true;
  }
  return false;
}

// dist/proxy/request-hook.js
function refusalBody(d) {
  return JSON.stringify({ error: { message: d.message, type: "invalid_request_error", code: d.code ?? "kx_refused" } });
}
var KEEPALIVE_FRAME = JSON.stringify({ type: "proxy.keepalive" });

// dist/proxy/exchange-prologue.js
import { performance as performance4 } from "node:perf_hooks";

// dist/proxy/guarded-observer.js
function methodNames(observer) {
  const names = /* @__PURE__ */ new Set();
  for (let o = observer; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== "constructor" && typeof observer[name] === "function")
        names.add(name);
    }
  }
  return [...names];
}
function guardObserver(observer, what, log) {
  if (!observer)
    return void 0;
  let broken = false;
  const guarded = {};
  for (const name of methodNames(observer)) {
    const method = observer[name];
    guarded[name] = (...args) => {
      if (broken)
        return;
      try {
        method.apply(observer, args);
      } catch (err2) {
        broken = true;
        log({ level: "error", msg: `capture observer failed; ${what} continues uncaptured`, error: err2.message });
      }
    };
  }
  return guarded;
}

// dist/proxy/traffic-observer.js
var SECRET_HEADERS = /* @__PURE__ */ new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "api-key", "x-api-key", "openai-api-key"]);
function withoutSecrets(headers) {
  const out = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(k.toLowerCase()))
      out[k] = v;
  }
  return out;
}
var one = (v) => Array.isArray(v) ? v[0] : v;
function handOffCredentials(handOff, headers, base, log) {
  if (!handOff || !base)
    return;
  const authorization = one(headers["authorization"]);
  if (!authorization)
    return;
  try {
    handOff({ authorization, accountId: one(headers["chatgpt-account-id"]), sessionId: one(headers["session-id"]) ?? one(headers["thread-id"]), baseURL: base.href.replace(/\/+$/, "") });
  } catch (err2) {
    log({ level: "error", msg: "credential hand-off failed", error: err2.message });
  }
}

// dist/proxy/exchange-prologue.js
function beginExchange(o, req, transport, observe) {
  const startedAt = performance4.now();
  const path5 = req.url ?? "/";
  const safeHeaders = withoutSecrets(req.headers);
  const { base } = upstreamForHeaders(o.upstreams, req.headers);
  handOffCredentials(o.credentials, req.headers, base, o.log);
  let observer;
  try {
    const upstream = base ? upstreamLabel(base) : void 0;
    observer = observe({ transport, method: transport === "ws" ? "GET" : req.method ?? "GET", path: path5, headers: safeHeaders, upstream, startedAt, startedAtIso: (/* @__PURE__ */ new Date()).toISOString() });
  } catch (err2) {
    o.log({ level: "error", msg: `capture refused ${transport === "ws" ? "WebSocket" : "exchange"}`, error: err2.message });
  }
  return { path: path5, safeHeaders, base, obs: guardObserver(observer, transport === "ws" ? "the WebSocket" : "traffic", o.log) };
}

// dist/proxy/http-forward.js
var agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 }),
  https: new https.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 })
};
var headerValue = (v) => Array.isArray(v) ? v[0] : v;
function sendJsonError(res, status, body) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
function refuseChatgptLogin(req, res, obs, end) {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("error", () => {
  });
  req.on("end", () => {
    const body = chatgptOffBody();
    if (chunks.length)
      obs?.requestBody(chunks, headerValue(req.headers["content-encoding"]));
    obs?.responseStart(CHATGPT_OFF_STATUS, { "content-type": "application/json" });
    obs?.responseChunk(Buffer.from(body));
    end({ kind: "complete" });
    sendJsonError(res, CHATGPT_OFF_STATUS, body);
  });
}
function relayResponse(x, upRes) {
  if (x.clientGone) {
    upRes.destroy();
    return;
  }
  const { res, obs } = x;
  const status = upRes.statusCode ?? 502;
  res.writeHead(status, upRes.statusMessage, forwardResponseHeaders(upRes.headers));
  res.flushHeaders();
  obs?.responseStart(status, upRes.headers);
  upRes.on("data", (chunk) => {
    if (!res.write(chunk)) {
      upRes.pause();
      res.once("drain", () => upRes.resume());
    }
    x.answered();
    obs?.responseChunk(chunk);
  });
  upRes.on("end", () => {
    x.answered();
    res.end();
    x.end({ kind: "complete" });
  });
  upRes.on("close", () => {
    if (upRes.complete)
      return;
    x.end({ kind: x.clientGone ? "aborted" : "error", message: "upstream closed the stream mid-response" });
    res.destroy();
  });
  upRes.on("error", () => {
  });
}
function upstreamFailed(x, target, err2) {
  x.answered();
  if (x.clientGone)
    return;
  if (!x.res.headersSent) {
    const body = JSON.stringify({
      error: { message: `kx could not reach the upstream ${target.origin}: ${err2.message}`, type: "upstream_unreachable", code: err2.code ?? "upstream_error" }
    });
    x.obs?.responseStart(502, { "content-type": "application/json" });
    x.obs?.responseChunk(Buffer.from(body));
    x.end({ kind: "complete" });
    sendJsonError(x.res, 502, body);
  } else {
    x.end({ kind: "error", message: `upstream error: ${err2.message}` });
    x.res.destroy();
  }
}
function streamBody(x, open) {
  const upstreamReq = x.upstreamReq = open();
  const chunks = [];
  x.req.on("data", (c) => {
    chunks.push(c);
    if (!upstreamReq.write(c)) {
      x.req.pause();
      upstreamReq.once("drain", () => x.req.resume());
    }
  });
  x.req.on("end", () => {
    upstreamReq.end();
    if (chunks.length)
      x.obs?.requestBody(chunks, headerValue(x.req.headers["content-encoding"]));
  });
  x.req.on("error", () => upstreamReq.destroy());
}
function holdBody(x, hook, ctx, open) {
  const chunks = [];
  x.req.on("data", (c) => chunks.push(c));
  x.req.on("error", () => {
  });
  x.req.on("end", () => {
    const raw = Buffer.concat(chunks);
    void (async () => {
      let body = raw;
      let encoding = headerValue(x.req.headers["content-encoding"]);
      let note;
      try {
        const decoded = decodeBody(raw, encoding);
        const decision = await hook({ transport: "http", path: ctx.path, headers: ctx.safeHeaders, body: decoded, signal: ctx.hangUp, connection: {} });
        if (x.clientGone)
          return;
        if (decision.action === "refuse") {
          sendJsonError(x.res, decision.status, refusalBody(decision));
          x.end({ kind: "complete" });
          return;
        }
        if (decision.action === "replace") {
          body = decision.body;
          note = decision.note;
          encoding = void 0;
          delete ctx.headers["content-encoding"];
          ctx.headers["content-length"] = String(body.length);
          delete ctx.headers["transfer-encoding"];
        }
      } catch (err2) {
        ctx.log({ level: "error", msg: "request hook failed; forwarding the original", error: err2.message });
        body = raw;
      }
      if (x.clientGone)
        return;
      x.upstreamReq = open();
      x.upstreamReq.end(body);
      x.obs?.requestBody(body, encoding, note);
    })();
  });
}
function createHttpForwarder(opts) {
  const log = opts.log ?? (() => {
  });
  return (req, res) => {
    const method = req.method ?? "GET";
    const { path: path5, safeHeaders, base, obs } = beginExchange({ upstreams: opts.upstreams, ...opts.credentials ? { credentials: opts.credentials } : {}, log }, req, "http", (info) => opts.observer?.http(info));
    let ended = false;
    const x = {
      req,
      res,
      obs,
      end: (e) => {
        if (ended)
          return;
        ended = true;
        obs?.responseEnd(e);
      },
      clientGone: false,
      upstreamReq: void 0,
      answered: () => {
      }
    };
    if (!base)
      return refuseChatgptLogin(req, res, obs, x.end);
    const target = upstreamUrl(base, path5);
    const isHttps = target.protocol === "https:";
    const headers = forwardRequestHeaders(req.headers);
    headers.host = target.host;
    const hangUp = new AbortController();
    res.on("close", () => {
      if (res.writableFinished)
        return;
      x.clientGone = true;
      x.answered();
      hangUp.abort();
      x.upstreamReq?.destroy();
      x.end({ kind: "aborted", message: "client disconnected" });
    });
    const open = () => {
      const upReq = (isHttps ? https : http).request(target, { method, headers, agent: isHttps ? agents.https : agents.http, path: upstreamPath(base, path5) });
      upReq.setNoDelay(true);
      if (opts.gate)
        x.answered = opts.gate.awaitAnswer();
      upReq.on("response", (upRes) => relayResponse(x, upRes));
      upReq.on("error", (err2) => upstreamFailed(x, target, err2));
      return upReq;
    };
    const hook = opts.hook?.();
    if (hook !== void 0 && method === "POST" && (opts.hookable?.(path5) ?? true))
      holdBody(x, hook, { path: path5, safeHeaders, headers, hangUp: hangUp.signal, log }, open);
    else
      streamBody(x, open);
  };
}

// node_modules/ws/wrapper.mjs
var import_stream6 = __toESM(require_stream(), 1);
var import_extension = __toESM(require_extension(), 1);
var import_permessage_deflate = __toESM(require_permessage_deflate(), 1);
var import_receiver = __toESM(require_receiver(), 1);
var import_sender = __toESM(require_sender(), 1);
var import_subprotocol = __toESM(require_subprotocol(), 1);
var import_websocket = __toESM(require_websocket(), 1);
var import_websocket_server = __toESM(require_websocket_server(), 1);
var wrapper_default = import_websocket.default;

// dist/proxy/ws-bridge.js
var PASSED_101_HEADERS = ["x-codex-turn-state", "openai-model", "x-models-etag", "x-reasoning-included", "x-request-id", "x-openai-request-id"];
function refuseUpgrade(socket, status, message) {
  const body = JSON.stringify({ error: { message, type: "upstream_websocket_refused" } });
  const reason = status === 426 ? "Upgrade Required" : "Error";
  socket.end(`HTTP/1.1 ${status} ${reason}\r
Content-Type: application/json\r
Content-Length: ${Buffer.byteLength(body)}\r
Connection: close\r
\r
${body}`);
}
var sendable = (code) => code >= 1e3 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3e3 && code <= 4999;
function toText(data) {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
}
function sendUp(b, text, isBinary, note) {
  if (b.upstream.readyState !== wrapper_default.OPEN || b.hangUp.signal.aborted)
    return;
  b.upstream.send(text, { binary: isBinary });
  b.answered ??= b.gate?.awaitAnswer();
  if (!isBinary)
    b.obs?.clientFrame(text.toString("utf8"), note);
}
async function decide(b, hook, buf, keepaliveMs) {
  const keepalive = setInterval(() => {
    if (b.client.readyState === wrapper_default.OPEN)
      b.client.send(KEEPALIVE_FRAME);
  }, keepaliveMs);
  try {
    return await hook({ transport: "ws", path: b.path, headers: b.safeHeaders, body: buf, signal: b.hangUp.signal, connection: b.connection });
  } finally {
    clearInterval(keepalive);
  }
}
function relayClientFrames(b, hookNow, keepaliveMs, log) {
  let chain = Promise.resolve();
  b.client.on("message", (data, isBinary) => {
    const buf = toText(data);
    const hook = hookNow();
    if (!hook || isBinary) {
      chain = chain.then(() => sendUp(b, buf, isBinary));
      return;
    }
    chain = chain.then(async () => {
      try {
        const decision = await decide(b, hook, buf, keepaliveMs);
        if (decision.action === "replace")
          sendUp(b, decision.body, false, decision.note);
        else if (decision.action === "refuse") {
          const err2 = JSON.parse(refusalBody(decision));
          b.client.send(JSON.stringify({ type: "error", status: decision.status, ...err2 }));
        } else
          sendUp(b, buf, false);
      } catch (err2) {
        log({ level: "error", msg: "request hook failed; forwarding the original frame", error: err2.message });
        sendUp(b, buf, false);
      }
    });
  });
  b.client.on("ping", (d) => b.upstream.readyState === wrapper_default.OPEN && b.upstream.ping(d));
}
function closeTogether(b, log) {
  let closed = false;
  const finish = (code, reason, by) => {
    if (closed)
      return;
    closed = true;
    b.hangUp.abort();
    b.obs?.closed(code, reason, by);
    const other = by === "client" ? b.upstream : b.client;
    if (other.readyState === wrapper_default.OPEN || other.readyState === wrapper_default.CONNECTING) {
      if (code === 1005)
        other.close();
      else if (sendable(code))
        other.close(code, reason);
      else
        other.terminate();
    }
  };
  b.client.on("close", (code, reason) => finish(code, reason.toString(), "client"));
  b.upstream.on("close", (code, reason) => finish(code, reason.toString(), "upstream"));
  b.client.on("error", (err2) => {
    log({ level: "warn", msg: "client WebSocket error", error: err2.message });
    b.client.terminate();
  });
  b.upstream.on("error", (err2) => {
    log({ level: "warn", msg: "upstream WebSocket error", error: err2.message });
    b.upstream.terminate();
  });
}
function createWsBridge(opts) {
  const log = opts.log ?? (() => {
  });
  const pending101 = /* @__PURE__ */ new WeakMap();
  const upstreamProtocol = /* @__PURE__ */ new WeakMap();
  const wss = new import_websocket_server.default({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 256 * 1024 * 1024,
    handleProtocols: (_offered, req) => upstreamProtocol.get(req) || false
  });
  wss.on("headers", (headers, req) => {
    for (const [k, v] of Object.entries(pending101.get(req) ?? {}))
      headers.push(`${k}: ${v}`);
  });
  const bridge = (client, upstream, path5, safeHeaders, obs) => {
    obs?.opened();
    const b = { client, upstream, path: path5, safeHeaders, obs, hangUp: new AbortController(), connection: {}, gate: opts.gate, answered: void 0 };
    relayClientFrames(b, () => opts.hook?.(), opts.keepaliveMs ?? 3e4, log);
    const answered = () => {
      b.answered?.();
      b.answered = void 0;
    };
    upstream.on("message", (data, isBinary) => {
      const buf = toText(data);
      if (client.readyState === wrapper_default.OPEN)
        client.send(buf, { binary: isBinary });
      answered();
      obs?.serverFrame(buf, isBinary);
    });
    upstream.once("close", answered);
    client.once("close", answered);
    closeTogether(b, log);
  };
  const handleUpgrade = (req, socket, head) => {
    const { path: path5, safeHeaders, base, obs } = beginExchange({ upstreams: opts.upstreams, ...opts.credentials ? { credentials: opts.credentials } : {}, log }, req, "ws", (info) => opts.observer?.ws(info));
    socket.on("error", () => {
    });
    let settled = false;
    const refuse = (message) => {
      if (settled)
        return;
      settled = true;
      obs?.refused(426, message);
      refuseUpgrade(socket, 426, message);
    };
    if (!base)
      return refuse("kx: ChatGPT-login traffic is off (KX_CHATGPT_BASE_URL=off)");
    const target = upstreamUrl(base, path5);
    target.protocol = target.protocol === "https:" ? "wss:" : "ws:";
    const headers = forwardRequestHeaders(req.headers, { websocket: true });
    delete headers["sec-websocket-protocol"];
    const protocols = req.headers["sec-websocket-protocol"]?.split(",").map((s) => s.trim()).filter(Boolean);
    const upstream = new wrapper_default(target, protocols ?? [], {
      headers,
      handshakeTimeout: opts.connectTimeoutMs ?? 1e4,
      perMessageDeflate: true,
      maxPayload: 256 * 1024 * 1024
    });
    socket.once("close", () => {
      if (!settled) {
        settled = true;
        upstream.terminate();
      }
    });
    upstream.on("unexpected-response", (_r, res) => {
      refuse(`upstream answered the WebSocket upgrade with ${res.statusCode}`);
      res.resume();
      upstream.terminate();
    });
    upstream.on("upgrade", (res) => {
      const pass = {};
      for (const name of PASSED_101_HEADERS) {
        const v = res.headers[name];
        if (typeof v === "string")
          pass[name] = v;
      }
      pending101.set(req, pass);
    });
    upstream.on("error", (err2) => {
      if (!settled)
        refuse(`upstream WebSocket failed: ${err2.message}`);
    });
    upstream.once("open", () => {
      if (settled) {
        upstream.terminate();
        return;
      }
      settled = true;
      upstreamProtocol.set(req, upstream.protocol);
      wss.handleUpgrade(req, socket, head, (client) => bridge(client, upstream, path5, safeHeaders, obs));
    });
  };
  return {
    handleUpgrade,
    close: () => {
      for (const c of wss.clients)
        c.terminate();
      wss.close();
    }
  };
}

// dist/store/live-events-of-batch.js
function liveEventsOfBatch(batch) {
  const events = [];
  const items = /* @__PURE__ */ new Map();
  for (const op of batch.changes) {
    switch (op.op) {
      case "session":
        events.push({ type: "session", sessionId: op.rec.id });
        break;
      case "turn":
        events.push({ type: "turn", sessionId: op.rec.sessionId, turnId: op.rec.id, status: "open" });
        break;
      case "item": {
        const key = `${op.rec.sessionId}\0${op.rec.turnId ?? ""}`;
        const group = items.get(key) ?? { sessionId: op.rec.sessionId, turnId: op.rec.turnId ?? null, itemIds: [] };
        group.itemIds.push(op.rec.id);
        items.set(key, group);
        break;
      }
      default:
        break;
    }
  }
  for (const group of items.values())
    events.push({ type: "items", ...group });
  for (const op of batch.changes) {
    if (op.op !== "turn-status")
      continue;
    events.push({ type: "turn", sessionId: op.rec.sessionId, turnId: op.rec.turnId, status: op.rec.status });
  }
  return events;
}

// dist/store/session-list.js
var LIVE_WINDOW_MS = 15 * 6e4;
var TITLE_CHARS = 300;
var encodeCursor = (lastActivityAt, id) => Buffer.from(JSON.stringify([lastActivityAt, id])).toString("base64url");
function decodeCursor(cursor) {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "string") ? [v[0], v[1]] : void 0;
  } catch {
    return void 0;
  }
}
function sessionStatus(s, now) {
  if (s.endedAt)
    return "ended";
  if ((s.identifiedBy === "rollout" || s.importedFrom) && !s.liveActivity)
    return "imported";
  return now - Date.parse(s.lastActivityAt) < LIVE_WINDOW_MS ? "live" : "ended";
}
function spanMs(from, to) {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms) : 0;
}
var SessionList = class {
  db;
  reader;
  constructor(db, reader) {
    this.db = db;
    this.reader = reader;
  }
  page(q, now = Date.now()) {
    const where = [];
    const params = {};
    if (q.client !== void 0)
      where.push("s.client = @client"), params.client = q.client;
    if (q.project !== void 0) {
      where.push("s.project = @project");
      params.project = q.project;
    }
    if (q.from !== void 0)
      where.push("s.started_at >= @from"), params.from = q.from;
    if (q.to !== void 0)
      where.push("s.started_at < @to"), params.to = q.to;
    const filter = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const total = this.db.prepare(`SELECT COUNT(*) FROM sessions s ${filter}`).pluck().get(params);
    const after = q.cursor ? decodeCursor(q.cursor) : void 0;
    if (after)
      [params.afterAt, params.afterId] = after;
    const ids = this.db.prepare(`SELECT id, lastActivityAt FROM (
           SELECT s.id, COALESCE((SELECT MAX(r.started_at) FROM requests r WHERE r.session_id = s.id), s.started_at) AS lastActivityAt
           FROM sessions s ${filter}
         ) ${after ? "WHERE lastActivityAt < @afterAt OR (lastActivityAt = @afterAt AND id < @afterId)" : ""}
         ORDER BY lastActivityAt DESC, id DESC LIMIT @limit`).all({ ...params, limit: q.limit + 1 });
    const more = ids.length > q.limit;
    const pageIds = ids.slice(0, q.limit);
    const last = pageIds.at(-1);
    return {
      sessions: pageIds.map(({ id }) => this.item(this.reader.getSummary(id), now)),
      total,
      nextCursor: more && last ? encodeCursor(last.lastActivityAt, last.id) : null,
      clients: this.db.prepare(`SELECT DISTINCT client FROM sessions WHERE client IS NOT NULL ORDER BY client`).pluck().all()
    };
  }
  hasLiveTraffic(sessionId) {
    return this.db.prepare(`SELECT 1 FROM requests WHERE session_id = ? AND transport != 'rollout' LIMIT 1`).get(sessionId) !== void 0;
  }
  item(s, now) {
    const title = this.db.prepare(`SELECT substr(text, 1, ${TITLE_CHARS}) FROM items WHERE session_id = ? AND kind = 'human_message' ORDER BY seq LIMIT 1`).pluck().get(s.id);
    return {
      ...s,
      title: title ?? null,
      durationMs: spanMs(s.startedAt, s.lastActivityAt),
      status: sessionStatus({ ...s, liveActivity: this.hasLiveTraffic(s.id) }, now),
      openGaps: this.openGaps(s.id)
    };
  }
  /** Gaps still open whose latest sighting was in this session. */
  openGaps(sessionId) {
    return this.db.prepare(`SELECT COUNT(*) FROM gaps WHERE last_seen_session_id = ? AND status = 'open'`).pluck().get(sessionId);
  }
};

// dist/insight/engine-host.js
import { createRequire } from "node:module";
import path4 from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
var STALL_BUDGET_MS = 2e4;
var START_BUDGET_MS = 6e4;
var CLOSE_GRACE_MS = 3e3;
var MAX_RESTART_DELAY_MS = 6e4;
var here = fileURLToPath(import.meta.url);
var ownEntry = path4.join(path4.dirname(here), `engine-worker${path4.extname(here)}`);
var tsxApi = pathToFileURL(path4.join(path4.dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist/esm/api/index.mjs")).href;
var BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.entry.endsWith('.ts')) (await import(${JSON.stringify(tsxApi)})).register();
  await import(require('node:url').pathToFileURL(workerData.entry).href);
})().catch((err) => { console.error(err); process.exit(1); });
`;
var STEP_WORDS = { build: "building its input", land: "storing its answer", pages: "rebuilding pages" };
var EngineHost = class {
  o;
  worker;
  lastBeat = 0;
  /** Until the worker says it is ready, loading its modules may take long on a busy machine. */
  ready = false;
  busy;
  watchdog;
  restartTimer;
  restartDelayMs = 1e3;
  startedAt = 0;
  closing = false;
  queue;
  stallBudgetMs;
  /** Workers started so far (tests watch restarts). */
  starts = 0;
  constructor(o) {
    this.o = o;
    this.queue = new JobQueue(o.db);
    this.stallBudgetMs = o.stallBudgetMs ?? STALL_BUDGET_MS;
  }
  start() {
    if (this.closing)
      return;
    this.starts++;
    this.startedAt = Date.now();
    this.lastBeat = Date.now();
    this.ready = false;
    this.busy = void 0;
    const heartbeatMs = this.o.heartbeatMs ?? 1e3;
    const data = {
      entry: this.o.entry ?? ownEntry,
      dbPath: this.o.db.name,
      documentsDir: this.o.documentsDir,
      settings: { ...this.o.settings, baseUrl: this.o.settings.baseUrl.href },
      prompts: this.o.prompts,
      timing: this.o.timing ?? {},
      heartbeatMs
    };
    const worker = new Worker(BOOT, { eval: true, workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 128 } });
    this.worker = worker;
    worker.on("message", (m) => this.received(m));
    worker.on("error", (err2) => this.o.log({ level: "error", msg: "the insight worker failed", error: err2.message }));
    worker.on("exit", (code) => {
      if (this.worker !== worker)
        return;
      this.worker = void 0;
      if (this.closing)
        return;
      this.o.log({ level: "error", msg: "the insight worker stopped; restarting it", code });
      const { poisoned } = this.queue.recoverRunning();
      for (const id of poisoned)
        this.publishJob(id);
      this.restartLater();
    });
    for (const offer of this.o.knownCredentials?.() ?? [])
      this.post({ type: "credentials", offer });
    this.watchdog ??= setInterval(() => this.check(), heartbeatMs);
    this.watchdog.unref();
  }
  wake() {
    this.post({ type: "wake" });
  }
  credentials(offer) {
    this.post({ type: "credentials", offer });
  }
  pagesChanged(change) {
    this.post({ type: "pages", change });
  }
  post(m) {
    this.worker?.postMessage(m);
  }
  received(m) {
    switch (m.type) {
      case "heartbeat":
      case "ready":
        this.ready = true;
        this.lastBeat = Date.now();
        if (Date.now() - this.startedAt > 6e4)
          this.restartDelayMs = 1e3;
        break;
      case "live":
        this.o.live.publish(m.event);
        break;
      case "log":
        this.o.log(m.line);
        break;
      case "busy":
        this.busy = { jobId: m.jobId, step: m.step };
        this.lastBeat = Date.now();
        break;
      case "free":
        this.busy = void 0;
        this.lastBeat = Date.now();
        break;
    }
  }
  /** A worker that misses its heartbeats for the budget is stuck in a synchronous step: end it. */
  check() {
    const budget = this.ready ? this.stallBudgetMs : Math.max(this.stallBudgetMs, START_BUDGET_MS);
    if (!this.worker || this.closing || Date.now() - this.lastBeat <= budget)
      return;
    const worker = this.worker;
    const busy = this.busy;
    this.worker = void 0;
    const seconds = Math.round(this.stallBudgetMs / 1e3);
    const where = busy ? STEP_WORDS[busy.step] ?? busy.step : "working";
    this.o.log({ level: "error", msg: `the insight worker made no progress for ${seconds} s while ${where}; ending it`, job: busy?.jobId ?? void 0 });
    void worker.terminate();
    if (busy?.jobId) {
      this.queue.failStalled(busy.jobId, `kx ended this job after ${seconds} s without progress while ${where}; it is not run again`);
      this.publishJob(busy.jobId);
    }
    this.queue.releaseAllRunning();
    this.restartLater();
  }
  restartLater() {
    if (this.closing || this.restartTimer)
      return;
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, MAX_RESTART_DELAY_MS);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = void 0;
      this.start();
    }, delay);
    this.restartTimer.unref();
  }
  publishJob(id) {
    const job = this.queue.get(id);
    if (job)
      this.o.live.publish(jobEvent(job));
  }
  /** Asks the worker to stop (its calls in flight go back to the queue), then ends it if it does not. */
  async close() {
    this.closing = true;
    if (this.watchdog)
      clearInterval(this.watchdog);
    if (this.restartTimer)
      clearTimeout(this.restartTimer);
    const worker = this.worker;
    this.worker = void 0;
    if (!worker)
      return;
    const exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    worker.postMessage({ type: "close" });
    const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
};

// dist/insight/start-insight.js
var INSIGHT_OFF = {
  mode: "off",
  model: "gpt-5",
  apiKey: void 0,
  baseUrl: new URL("https://api.openai.com/v1"),
  concurrency: 2,
  maxInputTokens: 12e3,
  idleMinutes: 30,
  timeoutMs: 12e4
};
function startInsight(deps) {
  const log = deps.log ?? (() => {
  });
  const prompts = loadPrompts({ turn: TURN_INSIGHT_SCHEMA, session: SESSION_SUMMARY_SCHEMA });
  const vault = new CredentialVault();
  const resolver = new ModelAccessResolver(deps.settings, vault);
  installModelAccess(resolver);
  const on = deps.settings.mode !== "off";
  const { retryBaseMs, maxAttempts, idleCheckMs, stallBudgetMs, heartbeatMs, workerEntry } = deps.engine ?? {};
  const host = on ? new EngineHost({
    db: deps.db,
    documentsDir: deps.documentsDir,
    settings: deps.settings,
    prompts,
    live: deps.live,
    log,
    timing: { retryBaseMs, maxAttempts, idleCheckMs },
    ...stallBudgetMs !== void 0 ? { stallBudgetMs } : {},
    ...heartbeatMs !== void 0 ? { heartbeatMs } : {},
    ...workerEntry !== void 0 ? { entry: workerEntry } : {},
    knownCredentials: () => vault.offers()
  }) : void 0;
  const desk = new InsightDesk({
    db: deps.db,
    settings: deps.settings,
    live: deps.live,
    waitingReason: resolver.waitingReason,
    pagesChanged: (change) => {
      if (host) {
        host.pagesChanged(change);
        host.wake();
        return;
      }
      if (change.sessionId)
        inlinePages().rebuildSession(change.sessionId);
      if (change.projectId)
        inlinePages().rebuildProject(change.projectId);
    }
  });
  let inline;
  const inlinePages = () => inline ??= new InsightPages({ db: deps.db, reader: desk.reader, queue: desk.queue, documentsDir: deps.documentsDir, sessionDir: deps.sessionDir, mode: deps.settings.mode, log });
  host?.start();
  return {
    engine: desk,
    resolver,
    host,
    credentials: on && !deps.settings.apiKey ? (c) => {
      if (vault.offer(c))
        host?.credentials(c);
    } : void 0,
    onStored: (batch) => {
      const placed = new Set(batch.changes.flatMap((op) => op.op === "item" && statesCwd(op.rec.kind) && cwdOfContext(op.rec.text) ? [op.rec.sessionId] : []));
      for (const sessionId of placed)
        deps.live.publish({ type: "session", sessionId });
      if (host && batch.endedTurns.length)
        host.wake();
    },
    close: async () => {
      await host?.close();
      vault.forget();
      installModelAccess(void 0);
    }
  };
}

// dist/kx-server.js
import http2 from "node:http";

// dist/api/v1-cross-site.js
var first = (v) => Array.isArray(v) ? v[0] : v;
function originAllowed(origin, boundHost) {
  try {
    const o = new URL(origin);
    const host = o.hostname.replace(/^\[|\]$/g, "");
    return (o.protocol === "http:" || o.protocol === "https:") && (isLoopbackHost(host) || host.toLowerCase() === boundHost.toLowerCase());
  } catch {
    return false;
  }
}
function crossSiteRefusal(headers, boundHost) {
  const origin = first(headers.origin);
  if (origin !== void 0 && !originAllowed(origin, boundHost))
    return `kx: /v1 refuses requests from the web page at ${origin.slice(0, 200)}`;
  if (first(headers["sec-fetch-site"])?.toLowerCase() === "cross-site")
    return "kx: /v1 refuses cross-site requests from web pages";
  return void 0;
}
function crossSiteBody(message) {
  return JSON.stringify({ error: { message, type: "forbidden_origin" } });
}

// dist/kx-server.js
function forbidden(res) {
  const body = JSON.stringify({ error: { message: "kx: Host header not allowed", type: "forbidden_host" } });
  res.writeHead(403, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
function v1Refusal(req, boundHost) {
  const crossSite = crossSiteRefusal(req.headers, boundHost);
  if (crossSite)
    return { status: 403, body: crossSiteBody(crossSite) };
  if (escapesBasePath(req.url ?? "/")) {
    return { status: 400, body: JSON.stringify({ error: { message: "kx: the path climbs above /v1 with dot-segments", type: "invalid_path" } }) };
  }
  return void 0;
}
function sendRefusal(res, refusal) {
  res.writeHead(refusal.status, { "content-type": "application/json", "content-length": Buffer.byteLength(refusal.body) });
  res.end(refusal.body);
}
var isMcpPath = (url) => url === "/mcp" || (url ?? "").startsWith("/mcp?") || (url ?? "").startsWith("/mcp/");
var isProxyPath = (url) => url === "/v1" || (url ?? "").startsWith("/v1/") || (url ?? "").startsWith("/v1?");
function createKxServer(boundHost, routes) {
  const server = http2.createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    if (!hostAllowed(req.headers.host, boundHost))
      return forbidden(res);
    if (isProxyPath(req.url)) {
      const refusal = v1Refusal(req, boundHost);
      return refusal ? sendRefusal(res, refusal) : routes.forward(req, res);
    }
    if (isMcpPath(req.url))
      return routes.mcp(req, res);
    routes.app(req, res);
  });
  server.on("upgrade", (req, socket, head) => {
    if (!hostAllowed(req.headers.host, boundHost) || !isProxyPath(req.url)) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const refusal = v1Refusal(req, boundHost);
    if (refusal) {
      const reason = http2.STATUS_CODES[refusal.status] ?? "Error";
      socket.end(`HTTP/1.1 ${refusal.status} ${reason}\r
Content-Type: application/json\r
Content-Length: ${Buffer.byteLength(refusal.body)}\r
Connection: close\r
\r
${refusal.body}`);
      return;
    }
    routes.upgrade(req, socket, head);
  });
  server.on("clientError", (err2, socket) => {
    const status = err2.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    if (socket.writable)
      socket.end(`HTTP/1.1 ${status}\r
Connection: close\r
Content-Length: 0\r
\r
`);
  });
  server.requestTimeout = 0;
  server.headersTimeout = 6e4;
  server.keepAliveTimeout = 65e3;
  return server;
}
async function listen(server, host, port) {
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address().port;
  const hostForUrl = host.includes(":") ? `[${host}]` : host;
  return { url: `http://${hostForUrl}:${bound}`, port: bound };
}

// dist/kx.js
function startCapture(config, log, insightSettings) {
  const gate = new AnswerGate();
  const store = new SessionStore({ documentsDir: config.documentsDir, log, inTransaction: insightCommitHook(insightSettings.mode), scheduler: gate });
  const reader = new SessionReader(store.db);
  const recorder = new Recorder({ enqueue: (op) => store.enqueue(op), settled: (ticket) => store.settled(ticket), resumeState: (id) => reader.resumeState(id), sessionOfResponse: (id) => reader.sessionOfResponse(id) }, { log, scheduler: gate });
  const live = new LiveEvents((err2) => log({ level: "error", msg: "live event subscriber failed", error: err2.message }));
  const search = new SearchIndex(store.db);
  const indexNewItems = () => {
    try {
      search.catchUp();
    } catch (err2) {
      log({ level: "error", msg: "search index catch-up failed", error: err2.message });
    }
  };
  indexNewItems();
  store.events.on("stored", (batch) => {
    indexNewItems();
    for (const e of liveEventsOfBatch(batch))
      live.publish(e);
  });
  return { store, reader, recorder, live, search, gate };
}
function startLearn(config, log, opts, { store, live, search, recorder }, insight) {
  const learnConfig = config.learn ?? DEFAULT_LEARN;
  const approvals = new ApprovalStore(store.db);
  const modes = new ModeBook(approvals, live, learnConfig.mode);
  const learnContext = opts.learnContext ?? new InsightContextSource(store.db, search);
  const learn = new LearnMode({
    store: approvals,
    sessionDir: (id) => store.sessionDir(id),
    live,
    context: learnContext,
    // The rewrite asks the model the insight engine asks (KX_INSIGHT_MODEL), with the checked prompt.
    model: opts.rewriteModel ?? structuredRewriteModel({ access: opts.modelAccess ?? ((id) => insight.resolver.resolve(id)), model: (config.insight ?? INSIGHT_OFF).model, prompt: loadRewritePrompt() }),
    modes,
    settings: learnConfig,
    log
  });
  let hook;
  const learnHook = withRequestFacts(learn.hook, (id) => recorder.tracker.sessionOfResponse(id), (id) => learnContext.projectOf(id));
  const syncHook = () => {
    if (hook === void 0 || hook === learnHook)
      hook = learn.needsHook() ? learnHook : void 0;
  };
  learn.onNeedChange(syncHook);
  syncHook();
  return {
    approvals,
    modes,
    learn,
    keepaliveMs: learnConfig.keepaliveMs,
    hook: () => hook,
    setHook: (h) => {
      hook = h;
    }
  };
}
function apiListener(config, { store, reader, recorder, live, search }, insight, { approvals, modes, learn }) {
  const app = createApp({
    reader,
    sessionList: new SessionList(store.db, reader),
    search,
    live,
    token: config.uiToken,
    boundHost: config.host,
    version: VERSION,
    insight: insight.engine,
    // `ok` is false while the store refuses writes: traffic still flows, but nothing new is kept.
    health: () => {
      const storeHealth = store.getHealth();
      return { ok: storeHealth.ok, store: storeHealth, captureBacklog: recorder.backlog, mode: modes.view().global, pendingApprovals: learn.pendingCount() };
    },
    learn: {
      list: (status) => approvals.list(status),
      decide: (id, d) => learn.decide(id, d),
      expiresAt: (id) => learn.expiresAt(id),
      modes: () => modes.view(),
      setMode: (scope, target, mode) => modes.set(scope, target, mode),
      resolveProject: (input) => resolveProject(input, store.db.prepare("SELECT id, name FROM projects ORDER BY name").all()),
      // A session whose first request is held is not stored yet, but its card is on the approvals page.
      sessionExists: (id) => store.db.prepare("SELECT 1 FROM sessions WHERE id = ? UNION ALL SELECT 1 FROM approvals WHERE session_id = ? LIMIT 1").get(id, id) !== void 0
    }
  });
  const listener = getRequestListener(app.fetch);
  return (req, res) => void listener(req, res);
}
function mcpListener(config, log, { store, search }, insight, baseUrl) {
  let loaded;
  const load = () => loaded ??= Promise.all([import("./http-S722ENGS.js"), import("./memory-Z33UTTCE.js")]).then(([{ createMcpApp }, { Memory }]) => {
    const memory = new Memory({ db: store.db, search, engine: insight.engine, baseUrl });
    return getRequestListener(createMcpApp({ memory, db: store.db, token: config.uiToken, boundHost: config.host, log }).fetch);
  });
  return (req, res) => {
    load().then((listener) => void listener(req, res), (err2) => {
      log({ level: "error", msg: "the MCP server failed to load", error: err2.message });
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "kx: the MCP server failed to load", type: "server_error" } }));
    });
  };
}
async function startKx(config, log = () => {
}, opts = {}) {
  const insightSettings = config.insight ?? INSIGHT_OFF;
  const captured = startCapture(config, log, insightSettings);
  const { store, reader, recorder, live, search } = captured;
  const insight = startInsight({ settings: insightSettings, db: store.db, documentsDir: config.documentsDir, sessionDir: (id) => store.sessionDir(id), live, log, ...opts.insightEngine ? { engine: opts.insightEngine } : {} });
  store.events.on("stored", (batch) => insight.onStored(batch));
  const learning = startLearn(config, log, opts, captured, insight);
  const { learn, modes } = learning;
  const proxyOpts = { upstreams: config, observer: recorder, gate: captured.gate, hook: learning.hook, log, keepaliveMs: learning.keepaliveMs, ...insight.credentials ? { credentials: insight.credentials } : {} };
  const forward = createHttpForwarder({ ...proxyOpts, hookable: (p) => apiOfPath(p, "POST") !== void 0 });
  const ws = createWsBridge(proxyOpts);
  let baseUrl = "";
  const server = createKxServer(config.host, {
    forward,
    upgrade: (req, socket, head) => ws.handleUpgrade(req, socket, head),
    mcp: mcpListener(config, log, captured, insight, () => baseUrl),
    app: apiListener(config, captured, insight, learning)
  });
  const { url, port } = await listen(server, config.host, config.port);
  baseUrl = url;
  return {
    url,
    port,
    store,
    reader,
    recorder,
    search,
    live,
    insight,
    learn,
    modes,
    onStored: (listener) => {
      store.events.on("stored", listener);
      return () => void store.events.off("stored", listener);
    },
    setRequestHook: learning.setHook,
    settle: async () => {
      await recorder.drained();
      store.flush();
    },
    close: async () => {
      learn.close();
      ws.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
      await recorder.drained();
      await insight.close();
      store.close();
    }
  };
}
export {
  startKx
};
