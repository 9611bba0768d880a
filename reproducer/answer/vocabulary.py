"""The words of questions and labels: stopwords, filler, and the abbreviations that mean the same thing.

Every spelling of a concept maps to one canonical token, so `acc`, `accuracy` and `accuracies` match each
other whichever side (question or label) uses which.
"""


def words(text: str) -> frozenset[str]:
    """A set of words written as one string, which keeps long word lists readable."""
    return frozenset(text.split())


# Words that carry no meaning for matching: English function words and CORE-Bench's phrasing.
STOPWORDS = words(
    """
    a an the of in on at to for from by as and or is are was were be been being it its this that these those
    what which who whom whose how when where why please report reported give provide find state list tell
    value values output outputs print printed show shown obtained computed calculated given returned
    ignore should you your answer round rounded decimal decimals place places do does did can could would
    there their then than into about across per also only just each all any both with has have
    """
)

# Meaningful but generic words: they count a little (a label "F1 score" vs a question "F1").
FILLER = words(
    """
    score metric measure model method dataset data set final overall result level run
    name table file column row using use used after variable summary
    """
)

# Multi-word terms collapsed into one token before splitting (patterns over lowercased text; words may be
# separated by spaces, dots, dashes or underscores). Longer phrases come first.
PHRASES: tuple[tuple[str, str], ...] = (
    # Quartiles as pandas' describe() (`25%`, `50%`, `75%`) and R's summary() (`1st Qu.`) print them.
    (r"50(?:th)? percent(?:ile)?|second quartile", "median"),
    (r"25(?:th)? percent(?:ile)?|1st qu|first quartile|lower quartile", "q1"),
    (r"75(?:th)? percent(?:ile)?|3rd qu|third quartile|upper quartile", "q3"),
    (r"upper (?:bound|limit|end|confidence limit)|upper ci|ucl", "upper"),
    (r"lower (?:bound|limit|end|confidence limit)|lower ci|lcl", "lower"),
    (r"(?:basic |effective )?reproduct(?:ion|ive) (?:number|ratio)", "r0"),
    (r"reaction times?|response times?", "rt"),
    (r"cross validat(?:ion|ed)", "cv"),
    (r"chi squared?|chi 2|chisq", "chisq"),
    # Which t-test: R titles Student's `Two Sample t-test` and Welch's `Welch Two Sample t-test`; a question
    # says "assuming equal variances", code says `var.equal = TRUE` (R) or `equal_var=True` (scipy).
    (r"student(?:'?s)? t test|(?<!welch\s)two sample t test", "student ttest"),
    (r"(?:assuming |with )?unequal variances?|var equal ?= ?(?:false|f)|equal var ?= ?false", "welch"),
    (
        r"(?:assuming |assumes |with )?equal variances?(?: assumed)?|pooled variances?"
        r"|var equal ?= ?(?:true|t)|equal var ?= ?true",
        "student",
    ),
    # What leaves missing values out: R's `na.rm = TRUE`, pandas' `skipna=True`, "ignoring missing values".
    (
        r"na rm ?= ?(?:true|t)|skipna ?= ?true|(?:ignoring|excluding|removing|without) (?:the )?"
        r"(?:missing|na|nan) ?(?:values?|data|entries|readings)?",
        "narm",
    ),
    # `t-test` is one thing, not the statistic t.
    (r"t test", "ttest"),
    (r"mann whitney(?: u)?(?: test)?|wilcoxon rank sum(?: test)?", "mannwhitneyu"),
    (r"z test", "ztest"),
    (r"f test", "ftest"),
    # statsmodels prints p values as `Prob (F-statistic)`, `Prob(JB)`.
    (r"prob(?=\s*\()", "pvalue"),
    (r"root mean squared? error", "rmse"),
    (r"mean absolute percentage error", "mape"),
    (r"mean squared? error", "mse"),
    (r"mean absolute error", "mae"),
    (r"standard deviation|std dev", "std"),
    (r"standard errors?|std err(?:ors?)?", "se"),
    (r"learning rate", "lr"),
    (r"r squared|r \^ ?2|r²", "r2"),
    (r"area under (?:the )?(?:roc )?curve|roc auc|au ?roc", "auc"),
    (r"f1 score|f score|f measure|f1 measure", "f1"),
    (r"p value|pr \( ?> ?\|? ?\w+ ?\|? ?\)|p \( ?> ?\|? ?\w+ ?\|? ?\)", "pvalue"),
    (r"logistic regression", "logreg"),
    (r"linear regression", "linreg"),
    (r"random forest", "rf"),
    (r"support vector machine|support vector classifier", "svm"),
    (r"k nearest neighbou?rs?", "knn"),
    (r"naive bayes", "nb"),
    (r"decision tree", "dt"),
    (r"gradient boost(?:ing|ed)?(?: machine| trees?)?", "gbm"),
    (r"neural network", "nn"),
    (r"confidence interval", "ci"),
    # An estimator named by its steps, however code abbreviates them (`diff_in_diff`, `diffindiff`).
    (r"diff(?:erences?)? in diff(?:erences?)?|diffindiff", "diffindiff"),
    (r"coefficient of variation", "cv"),
    # R's `is.na(x)`, pandas' `isna()`/`isnull()` in echoed code; a bare `na` (R's `na.rm`) is not one.
    (r"is[._]?na|is[._]?null", "missing"),
    (r"true positive rate", "sensitivity"),
    (r"true negative rate", "specificity"),
    (r"number of|count of", "count"),
    # Of two halves the last is the second (`# last half of 2016` in a notebook's comment).
    (r"(?:second|last|latter) half", "secondhalf"),
    (r"first half", "firsthalf"),
)

# How code writes a term of a model formula, read as words before the phrases above (over lowercased
# text, as regular expressions with their replacements): R's and patsy's `I(x^2)`, `I(tenure ** 2)` and
# numpy's `np.power(x, 2)` are "x squared"; R's interaction `wt:am` is "wt am interaction".
CODE_SPELLINGS: tuple[tuple[str, str], ...] = (
    (r"\bi\(([^()]*)\)", r" \1 "),
    (r"\b(?:np\.|numpy\.)?power\(\s*([a-z_][\w.]*)\s*,\s*2\s*\)", r" \1 squared "),
    (r"\b(?:np\.|numpy\.)?power\(\s*([a-z_][\w.]*)\s*,\s*3\s*\)", r" \1 cubed "),
    (r"\b([a-z_][\w.]*)\s*(?:\*\*|\^)\s*2(?![\d.])", r" \1 squared "),
    (r"\b([a-z_][\w.]*)\s*(?:\*\*|\^)\s*3(?![\d.])", r" \1 cubed "),
    (r"\b([a-z_][\w.]*):([a-z_][\w.]*)\b", r" \1 \2 interaction "),
    (r"\bsquare roots? of\b|\bsquare roots?\b", " sqrt "),
)

# Single words to their canonical token (after plural stripping).
SYNONYMS: dict[str, str] = {
    "acc": "accuracy",
    "accuracie": "accuracy",
    "avg": "mean",
    "average": "mean",
    "averaged": "mean",
    "sd": "std",
    "stdev": "std",
    "stddev": "std",
    "pct": "percent",
    # A share of a whole, whichever word names it (`prop`, `frac`, "the share of his appearances").
    "share": "proportion",
    "fraction": "proportion",
    "prop": "proportion",
    "frac": "proportion",
    "percentage": "percent",
    "perc": "percent",
    "num": "count",
    "number": "count",
    "n": "count",
    "cnt": "count",
    "coef": "coefficient",
    "coeff": "coefficient",
    "val": "validation",
    "valid": "validation",
    "dev": "validation",
    "eval": "evaluation",
    # A regression table's `Estimate` column holds the coefficients (statsmodels calls it `coef`).
    "est": "coefficient",
    "estimate": "coefficient",
    "estimated": "coefficient",
    "prec": "precision",
    "rec": "recall",
    "sens": "sensitivity",
    "tpr": "sensitivity",
    "spec": "specificity",
    "tnr": "specificity",
    "err": "error",
    "corr": "correlation",
    "cor": "correlation",
    "var": "variance",
    "minimum": "min",
    "maximum": "max",
    "med": "median",
    "iter": "iteration",
    "tr": "train",
    "training": "train",
    "testing": "test",
    "stat": "statistic",
    "param": "parameter",
    "obs": "observation",
    "rsquared": "r2",
    "auroc": "auc",
    "pval": "pvalue",
    "p": "pvalue",
    "ep": "epoch",
    "logistic": "logreg",
    "svc": "svm",
    "lasso": "lasso",
    "sec": "second",
    "secs": "second",
    "pred": "prediction",
    "predicted": "prediction",
    "predict": "prediction",
    "stderr": "se",
    "adj": "adjusted",
    "diff": "difference",
    "lwr": "lower",
    "upr": "upper",
    "infected": "infection",
    "infectious": "infection",
    "sess": "session",
    # What R and pandas code calls things, since echoed code labels the value printed under it
    # (`sum(is.na(x))` is the total of missing values).
    "sum": "total",
    "imputed": "impute",
    "imputing": "impute",
    "imputation": "impute",
    # A term squared: `exper_sq`, `tenuresq` spelt apart, "square of", "squared".
    "sq": "squared",
    "square": "squared",
    "women": "female",
    "woman": "female",
    "men": "male",
    "man": "male",
    # Months as code abbreviates them (`jul` for a July dummy, `df.query("jul==1")`); not those that are
    # other words in code more often (`sep` a separator, `mar` missing at random, `aug` augmented, `dec`
    # a decoder), and `may` is spelt out anyway.
    **{month[:3]: month for month in ("january", "february", "april", "june", "july", "october", "november")},
    "sept": "september",
}

# What a lone letter glued to a year abbreviates (`p2014`: the proportion in 2014); other prefixes read as
# they would alone (`n2014`: the count, as `n` is).
YEAR_QUANTITIES: dict[str, str] = {"p": "proportion"}
