"""Synthetic multi-step arithmetic word problems in a GSM8K-like style.

Each problem starts from a quantity and applies 2 to 4 operations (+, -, x, / with exact
results). The reference solution writes one "## Step k: ..." per operation, separated by
blank lines, and ends with "The answer is N." The generator can also corrupt a step the way
a small model goes wrong, which gives the PRM its negative labels and the policy its
rethink examples.
"""
import re

NAMES = ["Mia", "Tom", "Ana", "Leo", "Sam", "Ivy", "Ben", "Zoe", "Max", "Eva", "Noah", "Lily"]
ITEMS = ["apples", "books", "coins", "stamps", "marbles", "stickers", "pencils", "cookies",
         "shells", "cards", "beads", "plums"]

# Operation wording: (question sentence, step sentence). {n} name, {b} operand, {i} item.
ADD = [("{n} buys {b} more.", "{n} buys {b} more"),
       ("A friend gives {n} {b} more.", "A friend gives {b} more"),
       ("{n} finds {b} more {i}.", "{n} finds {b} more"),
       ("Then {n} gets {b} more.", "{n} gets {b} more")]
SUB = [("{n} gives away {b}.", "{n} gives away {b}"),
       ("{n} loses {b} of them.", "{n} loses {b}"),
       ("Then {n} uses {b}.", "{n} uses {b}"),
       ("{n} sells {b} {i}.", "{n} sells {b}")]
MUL = [("Then the number of {i} grows {b} times.", "The {i} grow {b} times"),
       ("{n} ends up with {b} times as many.", "{n} has {b} times as many"),
       ("Each one is swapped for {b} new {i}.", "Each is swapped for {b}")]
DIV = [("{n} splits them into {b} equal piles and keeps one pile.", "{n} keeps one of {b} piles"),
       ("{n} shares them equally with {c} friends and keeps one share.",
        "{n} keeps one of {b} shares"),
       ("Only one in every {b} is kept.", "One in {b} is kept")]
STARTS = ["{n} has {a} {i}.", "{n} starts with {a} {i}.", "There are {a} {i} in {n}'s box."]
QUESTIONS = ["How many {i} does {n} have now?", "How many {i} are left?",
             "How many {i} are there at the end?"]
SYMBOL = {"+": "+", "-": "-", "*": "x", "/": "/"}

# Difficulty: the sizes of the numbers. Chosen so that a ~3M-parameter policy trained for
# about 40 minutes on two cores solves roughly half to three quarters of the problems.
MAX_START = 60
MAX_ADD = 40
MAX_VALUE = 400


class Problem:
    def __init__(self, question, ops, values, name, item, wording):
        self.question = question
        self.ops = ops          # [(op, operand)]
        self.values = values    # running values: values[0] start, values[k] after op k
        self.name = name
        self.item = item
        self.wording = wording  # step sentence templates, one per op

    @property
    def answer(self):
        return self.values[-1]

    def step_text(self, k, x=None, b=None, y=None, op=None):
        """Content of step k (0-based), optionally with wrong numbers or operator."""
        op0, b0 = self.ops[k]
        op = op or op0
        x = self.values[k] if x is None else x
        b = b0 if b is None else b
        y = self.values[k + 1] if y is None else y
        lead = self.wording[k].format(n=self.name, b=b0, i=self.item)
        s = f"{lead}, so {x} {SYMBOL[op]} {b} = {y}."
        if k == len(self.ops) - 1:
            s += f" The answer is {y}."
        return s

    def steps(self):
        return [self.step_text(k) for k in range(len(self.ops))]

    def careful_text(self, k):
        """Step k worked in parts, each part one small operation: what a rethink writes. The
        policy's slips are results it cannot get in one go (42 x 7 = 278); written again the
        same way they come out the same, while tens and units apart each take one table fact
        or one carry (40 x 7 + 2 x 7 = 280 + 14 = 294)."""
        return self.careful_slip(k)[0]

    def careful_slip(self, k, x=None, slip=0, early=False):
        """careful_text's step from running value x, with a part off by `slip` (see
        careful_chain); returns (text, result)."""
        op, b = self.ops[k]
        x = self.values[k] if x is None else x
        chain, y = careful_chain(op, x, b, slip, early)
        lead = self.wording[k].format(n=self.name, b=b, i=self.item)
        s = f"{lead}, so {chain}."
        if k == len(self.ops) - 1:
            s += f" The answer is {y}."
        return s, y


def careful_chain(op, x, b, slip=0, early=False):
    """x op b = ... = y in single-digit parts; just x op b = y where there is one part.
    Returns (text, y). With `slip`, a part comes out that much off (the first part with
    `early`, the later ones carried on from it) as a small model errs."""
    head = f"{x} {SYMBOL[op]} {b} ="
    if op in "+-":
        tens, units = b - b % 10, b % 10
        if tens and units:
            mid = (x + tens if op == "+" else x - tens) + (slip if early else 0)
            y = (mid + units if op == "+" else mid - units) + (0 if early else slip)
            return f"{head} {x} {op} {tens} {op} {units} = {mid} {op} {units} = {y}", y
    elif op == "*":
        tens, units = x - x % 10, x % 10
        if tens and units:
            first = tens * b + (slip if early else 0)
            y = first + units * b + (0 if early else slip)
            return f"{head} {tens} x {b} + {units} x {b} = {first} + {units * b} = {y}", y
    else:
        q = x // b
        tens, units = q - q % 10, q % 10
        if tens and units:
            first = tens + (slip if early else 0)
            y = first + units + (0 if early else slip)
            return f"{head} {tens * b} / {b} + {units * b} / {b} = {first} + {units} = {y}", y
    y = apply(op, x, b) + slip
    return f"{head} {y}", y


def apply(op, x, b):
    return {"+": x + b, "-": x - b, "*": x * b, "/": x // b}[op]


def make_problem(rng, n_ops=None):
    n_ops = n_ops or rng.choice([2, 3, 3, 4])
    while True:
        name, item = rng.choice(NAMES), rng.choice(ITEMS)
        x = rng.randint(6, MAX_START)
        values, ops, qparts, wording = [x], [], [], []
        ok = True
        for _ in range(n_ops):
            choices = ["+", "-"]
            if x <= MAX_VALUE // 2 and x <= 60:
                choices.append("*")
            divisors = [d for d in range(2, 10) if x % d == 0 and x // d >= 2]
            if divisors:
                choices.append("/")
            op = rng.choice(choices)
            if op == "+":
                b = rng.randint(2, MAX_ADD)
                if x + b > MAX_VALUE:
                    ok = False
                    break
                q, w = rng.choice(ADD)
            elif op == "-":
                if x < 4:
                    ok = False
                    break
                b = rng.randint(1, min(MAX_ADD, x - 1))
                q, w = rng.choice(SUB)
            elif op == "*":
                b = rng.randint(2, min(9, MAX_VALUE // x))
                q, w = rng.choice(MUL)
            else:
                b = rng.choice(divisors)
                q, w = rng.choice(DIV)
            y = apply(op, x, b)
            ops.append((op, b))
            values.append(y)
            qparts.append(q.format(n=name, b=b, c=b - 1, i=item))
            wording.append(w)
            x = y
        if not ok:
            continue
        start = rng.choice(STARTS).format(n=name, a=values[0], i=item)
        question = " ".join([start] + qparts + [rng.choice(QUESTIONS).format(n=name, i=item)])
        return Problem(question, ops, values, name, item, wording)


CORRUPTIONS = ["off", "digit", "operator", "operand"]


def corrupt_step(rng, p, k, x=None, kind=None):
    """A wrong version of step k (starting from running value x), as a small model errs:
    a result off by a little, a digit slip, the wrong operator, or a misread operand (one of
    CORRUPTIONS as `kind`, else drawn with "off" twice as likely)."""
    op, b = p.ops[k]
    x = p.values[k] if x is None else x
    right = apply(op, x, b)
    kind = kind or rng.choice(["off", "off", "digit", "operator", "operand"])
    y, op2, b2 = right, op, b
    if kind == "off":
        y = right + rng.choice([-1, 1]) * rng.choice([1, 1, 2, 10, 3, 5, 9, 11])
    elif kind == "digit":
        digits = list(str(right))
        i = rng.randrange(len(digits))
        digits[i] = str((int(digits[i]) + rng.randint(1, 9)) % 10)
        y = int("".join(digits))
    elif kind == "operator":
        op2 = {"+": "-", "-": "+", "*": "+", "/": "-"}[op]
        y = apply(op2, x, b)
    else:
        b2 = b + rng.choice([-2, -1, 1, 2, 10])
        if b2 <= 0:
            b2 = b + 1
        y = apply(op, x, b2) if op != "/" else x // max(1, b2)
    if y == right or y < 0:
        y = right + rng.choice([1, 2, 10])
    return p.step_text(k, x=x, b=b2, y=y, op=op2), y


NUMBER = re.compile(r"=\s*(-?\d+)")


def label_steps(p, steps):
    """Labels a list of step contents against the problem: a step is good when its result
    (the last number after an "=", so that a step worked in parts counts by its end) is the
    right running value and every step before it is good."""
    labels, good = [], True
    for k, s in enumerate(steps):
        m = NUMBER.findall(s)
        right = k < len(p.ops) and m and int(m[-1]) == p.values[k + 1]
        # The expression itself must use the right running value and operand.
        if right:
            op, b = p.ops[k]
            right = f"{p.values[k]} {SYMBOL[op]} {b} =" in s
        good = good and bool(right)
        labels.append(good)
    return labels
