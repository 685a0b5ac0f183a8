package dev.chainer.operator.localcluster.admission;

import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.chainer.operator.localcluster.admission.CelDeclType.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The worst-case cost of one CEL rule as the API server estimates it before accepting a CRD: cel-go's static cost
 * model ({@code checker.Cost}) with the apiserver's size estimator, which reads a value's largest size from the
 * schema path the expression reads it through. Implemented for the constructs and standard functions validation
 * rules use (field selection, has(), the list macros, logic, comparisons, size, startsWith/endsWith, contains,
 * matches, in, indexing, concatenation); any other function costs 1 plus its arguments, as in cel-go.
 */
public final class CelCostEstimator {
  private static final double STRING_TRAVERSAL = 0.1;
  private static final double REGEX_STRING_LENGTH = 0.25;
  private static final long SELECT_AND_IDENT = 1;
  private static final long CREATE_LIST = 10;
  private static final long CREATE_MAP = 30;
  private static final long CREATE_STRUCT = 40;
  private static final Size UNKNOWN = new Size(0, Long.MAX_VALUE);

  private static final CelCompiler PARSER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS).build();

  /** A cost or size range; arithmetic saturates instead of overflowing, as cel-go's does. */
  public record Size(long min, long max) {
    Size plus(Size o) {
      return new Size(add(min, o.min), add(max, o.max));
    }

    Size times(Size o) {
      return new Size(mul(min, o.min), mul(max, o.max));
    }

    Size factor(double f) {
      return new Size(ceil(min, f), ceil(max, f));
    }

    Size union(Size o) {
      return new Size(Math.min(min, o.min), Math.max(max, o.max));
    }
  }

  /** What the walk knows of one sub-expression. */
  private record Node(Size cost, Size size, List<String> path, CelDeclType type, Size entrySize) {}

  private final CelDeclType self;
  private final Deque<Map.Entry<String, Node>> locals = new ArrayDeque<>();

  private CelCostEstimator(CelDeclType self) {
    this.self = self;
  }

  /** The estimated cost range of {@code rule} evaluated with {@code self} (and oldSelf) of the given type. */
  public static Size estimate(String rule, CelDeclType self) throws CelValidationException {
    CelExpr expr = PARSER.parse(rule).getAst().getExpr();
    return new CelCostEstimator(self).visit(expr).cost();
  }

  private Node visit(CelExpr e) {
    return switch (e.exprKind().getKind()) {
      case CONSTANT -> constant(e.constant());
      case IDENT -> ident(e.ident().name());
      case SELECT -> select(e.select());
      case CALL -> call(e.call());
      case LIST -> list(e.list().elements());
      case MAP -> map(e.map().entries());
      case STRUCT -> struct(e.struct().entries());
      case COMPREHENSION -> comprehension(e.comprehension());
      default -> node(new Size(0, 0), null, null, null);
    };
  }

  private static Node node(Size cost, Size size, List<String> path, CelDeclType type) {
    return new Node(cost, size, path, type, null);
  }

  private Node constant(CelConstant c) {
    Size zero = new Size(0, 0);
    return switch (c.getKind()) {
      case STRING_VALUE -> node(zero, fixed(c.stringValue().codePointCount(0, c.stringValue().length())), null,
          CelDeclType.scalar(Kind.STRING));
      case BYTES_VALUE -> node(zero, fixed(c.bytesValue().size()), null, CelDeclType.scalar(Kind.BYTES));
      case BOOLEAN_VALUE -> node(zero, null, null, CelDeclType.scalar(Kind.BOOL));
      case DOUBLE_VALUE -> node(zero, null, null, CelDeclType.scalar(Kind.DOUBLE));
      default -> node(zero, null, null, CelDeclType.scalar(Kind.INT));
    };
  }

  private Node ident(String name) {
    for (Map.Entry<String, Node> local : locals) {
      if (local.getKey().equals(name)) {
        Node v = local.getValue();
        return node(fixed(SELECT_AND_IDENT), v.size(), v.path(), v.type());
      }
    }
    if (name.equals("self") || name.equals("oldSelf")) {
      return node(fixed(SELECT_AND_IDENT), null, List.of(name), self);
    }
    return node(fixed(SELECT_AND_IDENT), null, null, null);
  }

  private Node select(CelExpr.CelSelect s) {
    Node operand = visit(s.operand());
    if (s.testOnly()) { // has(): Kubernetes sets PresenceTestHasCost(false), so only the operand costs
      return node(operand.cost(), null, null, CelDeclType.scalar(Kind.BOOL));
    }
    Size cost = operand.cost();
    CelDeclType t = operand.type();
    if (t == null || t.kind == Kind.OBJECT || t.kind == Kind.MAP) {
      cost = cost.plus(fixed(SELECT_AND_IDENT));
    }
    CelDeclType field = t == null ? null : t.kind == Kind.MAP ? t.elem : t.fields.get(s.field());
    return node(cost, null, append(operand.path(), s.field()), field);
  }

  private Node list(List<CelExpr> elements) {
    Size cost = fixed(CREATE_LIST);
    Size item = elements.isEmpty() ? new Size(0, 0) : new Size(Long.MAX_VALUE, 0);
    for (CelExpr element : elements) {
      Node n = visit(element);
      cost = cost.plus(n.cost());
      item = item.union(sizeOrUnknown(n));
    }
    return new Node(cost, fixed(elements.size()), null, null, item);
  }

  private Node map(List<CelExpr.CelMap.Entry> entries) {
    Size cost = fixed(CREATE_MAP);
    for (CelExpr.CelMap.Entry entry : entries) {
      cost = cost.plus(visit(entry.key()).cost()).plus(visit(entry.value()).cost());
    }
    return node(cost, fixed(entries.size()), null, null);
  }

  private Node struct(List<CelExpr.CelStruct.Entry> entries) {
    Size cost = fixed(CREATE_STRUCT);
    for (CelExpr.CelStruct.Entry entry : entries) {
      cost = cost.plus(visit(entry.value()).cost());
    }
    return node(cost, null, null, null);
  }

  private Node comprehension(CelExpr.CelComprehension c) {
    Node range = visit(c.iterRange());
    Node init = visit(c.accuInit());
    Size cost = range.cost().plus(init.cost());
    boolean isMap = range.type() != null && range.type().kind == Kind.MAP;
    CelDeclType itemType = range.type() == null ? null : range.type().elem;
    Size itemSize = range.entrySize();
    locals.push(Map.entry(c.accuVar(), node(new Size(0, 0), sizeOf(init), init.path(), init.type())));
    locals.push(Map.entry(c.iterVar(), node(new Size(0, 0), isMap ? null : itemSize,
        append(range.path(), isMap ? "@keys" : "@items"), isMap ? CelDeclType.scalar(Kind.STRING) : itemType)));
    Size loop = visit(c.loopCondition()).cost().plus(visit(c.loopStep()).cost());
    locals.pop();
    Node result = visit(c.result());
    locals.pop();
    Size count = sizeOrUnknown(range);
    cost = cost.plus(result.cost()).plus(count.times(loop));
    CelExpr.ExprKind.Kind initKind = c.accuInit().exprKind().getKind();
    boolean collects = initKind == CelExpr.ExprKind.Kind.LIST || initKind == CelExpr.ExprKind.Kind.MAP;
    Size size = collects ? count : sizeOf(init);
    return node(cost, size, null, result.type());
  }

  private Node call(CelExpr.CelCall call) {
    List<Node> args = new ArrayList<>();
    Size argCost = new Size(0, 0);
    for (CelExpr arg : call.args()) {
      Node n = visit(arg);
      args.add(n);
      argCost = argCost.plus(n.cost());
    }
    Node target = call.target().map(this::visit).orElse(null);
    Size targetCost = target == null ? new Size(0, 0) : target.cost();
    Node fn = function(call.function(), target, args, argCost);
    return new Node(fn.cost().plus(targetCost), fn.size(), fn.path(), fn.type(), fn.entrySize());
  }

  private Node function(String name, Node target, List<Node> args, Size argCost) {
    CelDeclType bool = CelDeclType.scalar(Kind.BOOL);
    switch (name) {
      case "_&&_", "_||_":
        return node(new Size(args.get(0).cost().min(), args.get(0).cost().plus(args.get(1).cost()).max()), null,
            null, bool);
      case "_?_:_": {
        Size size = sizeOrUnknown(args.get(1)).union(sizeOrUnknown(args.get(2)));
        return new Node(args.get(0).cost().plus(args.get(1).cost().union(args.get(2).cost())), size, null,
            args.get(1).type(), args.get(1).entrySize());
      }
      case "_==_", "_!=_":
        return node(comparison(args).plus(argCost), null, null, bool);
      case "_<_", "_<=_", "_>_", "_>=_":
        return node(isText(args.get(0)) ? comparison(args).plus(argCost) : fixed(1).plus(argCost), null, null,
            bool);
      case "_+_":
        return concatenation(args, argCost);
      case "_[_]": {
        CelDeclType container = args.get(0).type();
        boolean isMap = container != null && container.kind == Kind.MAP;
        return node(fixed(1).plus(argCost), args.get(0).entrySize(), append(args.get(0).path(),
            isMap ? "@values" : "@items"), container == null ? null : container.elem);
      }
      case "@in":
        return node(sizeOrUnknown(args.get(1)).factor(1).plus(argCost), null, null, bool);
      case "startsWith", "endsWith":
        return node(sizeOrUnknown(args.get(0)).factor(STRING_TRAVERSAL).plus(argCost), null, null, bool);
      case "contains":
        if (target != null && isText(target)) {
          return node(sizeOrUnknown(target).factor(STRING_TRAVERSAL)
              .times(sizeOrUnknown(args.get(0)).factor(STRING_TRAVERSAL)).plus(argCost), null, null, bool);
        }
        break;
      case "matches":
        if (target != null) {
          Size text = sizeOrUnknown(target).plus(fixed(1)).factor(STRING_TRAVERSAL);
          Size regex = sizeOrUnknown(args.get(0)).factor(REGEX_STRING_LENGTH);
          return node(text.times(regex).plus(argCost), null, null, bool);
        }
        break;
      case "size":
        return node(fixed(1).plus(argCost), null, null, CelDeclType.scalar(Kind.INT));
      default:
        break;
    }
    return node(fixed(1).plus(argCost), null, null, null);
  }

  /** Equality and ordering of strings (or any sized value) walk the shorter operand. */
  private Size comparison(List<Node> args) {
    long smallestMax = Math.min(sizeOrUnknown(args.get(0)).max(), sizeOrUnknown(args.get(1)).max());
    return new Size(smallestMax > 0 ? 1 : 0, smallestMax).factor(STRING_TRAVERSAL);
  }

  private Node concatenation(List<Node> args, Size argCost) {
    Size size = sizeOrUnknown(args.get(0)).plus(sizeOrUnknown(args.get(1)));
    if (isText(args.get(0)) || isText(args.get(1))) {
      return node(size.factor(STRING_TRAVERSAL).plus(argCost), size, null, CelDeclType.scalar(Kind.STRING));
    }
    boolean isList = args.get(0).entrySize() != null || (args.get(0).type() != null
        && args.get(0).type().kind == Kind.LIST);
    if (isList) {
      Size entry = args.get(0).entrySize() != null && args.get(1).entrySize() != null
          ? args.get(0).entrySize().union(args.get(1).entrySize()) : null;
      return new Node(fixed(1).plus(argCost), size, null, args.get(0).type(), entry);
    }
    return node(fixed(1).plus(argCost), null, null, args.get(0).type());
  }

  private static boolean isText(Node n) {
    return n.type() != null && (n.type().kind == Kind.STRING || n.type().kind == Kind.BYTES);
  }

  /** cel-go's computeSize: a call's or literal's own size, else the schema's bound at the path, else scalars 1. */
  private Size sizeOf(Node n) {
    if (n.size() != null) {
      return n.size();
    }
    if (n.path() != null && n.path().size() > 0) {
      CelDeclType at = resolve(n.path());
      if (at != null) {
        return new Size(0, at.maxElements);
      }
    }
    if (n.type() != null && n.type().isScalar()) {
      return fixed(1);
    }
    return null;
  }

  private Size sizeOrUnknown(Node n) {
    Size s = sizeOf(n);
    return s == null ? UNKNOWN : s;
  }

  /** The apiserver's sizeEstimator: walk the path from self through fields, @items, @values and @keys. */
  private CelDeclType resolve(List<String> path) {
    if (!path.get(0).equals("self") && !path.get(0).equals("oldSelf")) {
      return null;
    }
    CelDeclType at = self;
    for (String step : path.subList(1, path.size())) {
      if (at == null) {
        return null;
      }
      at = switch (step) {
        case "@items", "@values" -> at.elem;
        case "@keys" -> at.kind == Kind.MAP ? CelDeclType.scalar(Kind.STRING) : null;
        default -> at.fields.get(step);
      };
    }
    return at;
  }

  private static List<String> append(List<String> path, String step) {
    if (path == null) {
      return null;
    }
    List<String> out = new ArrayList<>(path);
    out.add(step);
    return out;
  }

  private static Size fixed(long v) {
    return new Size(v, v);
  }

  private static long add(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private static long mul(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }

  private static long ceil(long x, double f) {
    double v = Math.ceil(x * f);
    return v >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) v;
  }
}
