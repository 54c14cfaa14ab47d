/*
 * Reading decimal numbers fast without losing strtod's exactness.
 */
#ifndef KD_DECIMAL_H
#define KD_DECIMAL_H

/*
 * The value of text, a number as JSON writes it (the caller has checked its
 * grammar), exactly as strtod(text, NULL) gives it.  Coordinates and
 * distances (up to 15 digits, no exponent) are a whole number of at most
 * 2^53 divided by an exact power of ten, and one correctly rounded division
 * of two exact doubles is the correctly rounded decimal; anything else goes
 * to strtod, which was a tenth of reading a national match input.
 */
double kd_decimal_value(const char *text);

#endif
